import { api } from '../../api';
import type { Product } from '../../api-types';
import { t } from '../../i18n';
import { Problem } from '../../ui';
import { useAction } from '../../use-action';

/**
 * Every photo of the product, each removable (a wrong photo, or room for a new one: a product holds a few at most).
 * The newest is the one shown first.
 */
export function PhotoStrip(props: { product: Product; canWrite: boolean; onChange: (p: Product) => void }) {
  const { busy, problem, run } = useAction();
  const { product } = props;
  if (product.images.length === 0) return null;
  const remove = (imageId: string) =>
    void run(
      () =>
        api<Product>('DELETE', `/api/products/${encodeURIComponent(product.id)}/images/${encodeURIComponent(imageId)}`),
      (next) => props.onChange(next),
    );
  return (
    <div class="photo-strip">
      <Problem message={problem} />
      <ul class="plain">
        {product.images.map((image, i) => (
          <li key={image.id}>
            <img src={image.url} alt={t('product.photoN', { n: i + 1 })} width={64} height={64} />
            {props.canWrite && (
              <button type="button" class="secondary small" disabled={busy} onClick={() => remove(image.id)}>
                {t('product.removePhoto')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
