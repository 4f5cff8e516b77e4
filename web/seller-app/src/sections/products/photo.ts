/** The longest side a product photo is sent at: sharp on any phone screen, a few hundred KB instead of 5 MB. */
export const PHOTO_MAX_SIDE = 1600;

/**
 * A photo taken or picked on the phone, made small before upload (slow, metered networks): scaled down to
 * PHOTO_MAX_SIDE on its longest side, turned the way the camera held it, re-encoded as JPEG.
 */
export async function resizePhoto(file: Blob, maxSide = PHOTO_MAX_SIDE): Promise<Blob> {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no canvas');
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('encode failed'))), 'image/jpeg', 0.85),
  );
}
