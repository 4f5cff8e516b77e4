import { api, type Page } from '../../api';
import { when } from '../../format';
import { t } from '../../i18n';
import { Problem } from '../../ui';
import { useAction } from '../../use-action';
import { useApi } from '../../use-api';

interface Review {
  id: string;
  customerName: string;
  rating: number;
  comment: string | null;
  isVisible: boolean;
  createdAt: string;
}

/**
 * What buyers wrote about a product on the storefront, newest first: a MANAGER or the owner hides one (it leaves the
 * storefront and its rating) or shows it again. Reviews are visible when submitted.
 */
export function ReviewsPanel(props: { productId: string; canWrite: boolean }) {
  const path = `/api/products/${encodeURIComponent(props.productId)}/reviews`;
  const { data, problem, reload } = useApi<Page<Review>>(`${path}?limit=50`);
  const { busy, problem: refusal, run } = useAction();
  const toggle = (r: Review) =>
    void run(async () => {
      await api('PATCH', `${path}/${encodeURIComponent(r.id)}`, { isVisible: !r.isVisible });
      reload();
    });
  return (
    <section aria-labelledby="reviews-title" class="card">
      <h2 id="reviews-title">{t('reviews.title')}</h2>
      <Problem message={problem ?? refusal} />
      {data?.data.length === 0 && <p class="muted">{t('reviews.none')}</p>}
      <ul class="plain">
        {data?.data.map((r) => (
          <li key={r.id} class={`review${r.isVisible ? '' : ' hidden-review'}`}>
            <p>
              <strong aria-hidden="true">{'★'.repeat(r.rating) + '☆'.repeat(5 - r.rating)}</strong>
              <span class="visually-hidden">{t('reviews.stars', { n: r.rating })}</span> {r.customerName} ·{' '}
              <span class="muted">{when(r.createdAt)}</span>
              {!r.isVisible && <span class="badge muted">{t('reviews.hidden')}</span>}
            </p>
            {r.comment && <p>{r.comment}</p>}
            {props.canWrite && (
              <button type="button" class="secondary" disabled={busy} onClick={() => toggle(r)}>
                {r.isVisible ? t('reviews.hide') : t('reviews.show')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
