import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../errors/app-error.js';

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const ALLOWED: Record<string, 'jpg' | 'png' | 'webp'> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/** The image's real type from its bytes (not its name or the client's header); JPEG, PNG and WebP only. */
export async function checkImage(data: Buffer): Promise<{ contentType: string; ext: 'jpg' | 'png' | 'webp' }> {
  const type = await fileTypeFromBuffer(data);
  const ext = type ? ALLOWED[type.mime] : undefined;
  if (!type || !ext) {
    const message = `image must be a JPEG, PNG or WebP file${type ? ` (this one is ${type.mime})` : ''}`;
    throw AppError.validation(message, [{ field: 'image', message }]);
  }
  return { contentType: type.mime, ext };
}
