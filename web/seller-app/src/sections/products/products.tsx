import { useState } from 'preact/hooks';
import type { Page, Session } from '../../api';
import type { Product } from '../../api-types';
import { kes } from '../../format';
import { t } from '../../i18n';
import { lazyScreen } from '../../lazy';
import { href } from '../../router';
import { Badge, Chips, PagedRows, SearchBox } from '../../ui';
import { useApi } from '../../use-api';

const ProductForm = lazyScreen(() => import('./product-form').then((m) => m.ProductForm));
const ProductImport = lazyScreen(() => import('./product-import').then((m) => m.ProductImport));
const StockTake = lazyScreen(() => import('./stock-take').then((m) => m.StockTake));

export function ProductsSection({ session, route }: { session: Session; route: string[] }) {
  if (route[0] === 'import') return <ProductImport session={session} />;
  if (route[0] === 'stock-take') return <StockTake session={session} />;
  if (route[0] === 'new') return <ProductForm key="new" session={session} />;
  if (route[0]) return <ProductForm key={route[0]} session={session} productId={route[0]} />;
  return <ProductList session={session} />;
}

type Filter = '' | 'lowStock' | 'outOfStock' | 'hidden';
const FILTERS: Filter[] = ['', 'lowStock', 'outOfStock', 'hidden'];

/** Low on stock when at or under the product's own threshold (the API's rule for its lowStock filter). */
export const isLow = (p: Pick<Product, 'stock' | 'lowStockThreshold'>): boolean =>
  p.stock > 0 && p.stock <= p.lowStockThreshold;

function ProductList({ session }: { session: Session }) {
  const [q, setQ] = useState('');
  const [filter, setFilter] = useState<Filter>('');
  const [page, setPage] = useState(1);
  const filters = new URLSearchParams();
  if (q.trim()) filters.set('q', q.trim());
  if (filter === 'lowStock') filters.set('lowStock', 'true');
  if (filter === 'outOfStock') filters.set('inStock', 'false');
  if (filter === 'hidden') filters.set('isActive', 'false');
  const query = new URLSearchParams({ page: String(page), limit: '20', ...Object.fromEntries(filters) });
  const { data, problem } = useApi<Page<Product>>(`/api/products?${query}`);
  const canWrite = session.user.role !== 'VIEWER';
  return (
    <>
      <div class="card-head">
        <h1 tabIndex={-1}>{t('products.title')}</h1>
        {canWrite && (
          <div class="actions">
            <a class="button" href={href('/products/new')}>
              {t('products.add')}
            </a>
            <a class="button secondary" href={href('/products/import')}>
              {t('products.import')}
            </a>
            <a class="button secondary" href={href('/products/stock-take')}>
              {t('products.stockTake')}
            </a>
          </div>
        )}
      </div>
      <SearchBox
        id="product-q"
        label={t('products.search')}
        hint={t('products.searchHint')}
        value={q}
        onInput={(v) => (setQ(v), setPage(1))}
      />
      <Chips
        label={t('products.show')}
        value={filter}
        options={FILTERS}
        word={(f) => t(f ? `products.filter.${f}` : 'products.filter.all')}
        onChange={(f) => (setFilter(f), setPage(1))}
      />
      <PagedRows
        page={data}
        problem={problem}
        what={t('products.loading')}
        empty={q || filter ? t('products.noneMatch') : t('products.none')}
        label={t('products.title')}
        onPage={setPage}
        row={(p) => (
          <a href={href(`/products/${p.id}`)} class="row-link with-thumb">
            {p.images[0] ? (
              <img class="thumb" src={p.images[0].url} alt="" width={48} height={48} loading="lazy" />
            ) : (
              <span class="thumb" aria-hidden="true" />
            )}
            <span class="row-main">
              <strong>{p.name}</strong>
              {!p.isActive && <Badge tone="muted">{t('products.hiddenBadge')}</Badge>}
            </span>
            <span class="row-side">
              <strong>{kes(p.priceKes)}</strong>
              {p.stock === 0 ? (
                <Badge tone="bad">{t('products.out')}</Badge>
              ) : isLow(p) ? (
                <Badge tone="warn">{t('products.low', { n: p.stock })}</Badge>
              ) : (
                <span class="muted">{t('products.inStock', { n: p.stock })}</span>
              )}
            </span>
            <span class="row-meta">
              {[p.category, p.sku, p.variants.length ? t('products.variants', { n: p.variants.length }) : null]
                .filter(Boolean)
                .join(' · ')}
            </span>
          </a>
        )}
      />
      <a class="download-link" href={`/api/products/export${filters.size ? `?${filters}` : ''}`} download>
        {t('products.download')}
      </a>
    </>
  );
}
