import { useState } from 'preact/hooks';
import { api } from '../../api';
import type { Product, Variant } from '../../api-types';
import { kes } from '../../format';
import { t } from '../../i18n';
import { described, Field, Problem } from '../../ui';
import { useAction } from '../../use-action';

/** A product's variants (size, colour…): each with its own price and stock; add, fix stock, remove. */
export function VariantsPanel(props: { product: Product; canWrite: boolean; onChange: (p: Product) => void }) {
  const { product, canWrite } = props;
  const { busy, problem, fields, run } = useAction();
  const [draft, setDraft] = useState({ name: '', priceKes: '', stock: '0' });
  const base = `/api/products/${encodeURIComponent(product.id)}/variants`;

  // Each change, then the product read back (its variants as the API now has them).
  const act = (work: () => Promise<unknown>) =>
    run(async () => {
      await work();
      props.onChange(await api<Product>('GET', `/api/products/${encodeURIComponent(product.id)}`));
    });
  const add = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, string | number> = { name: draft.name.trim(), stock: Number(draft.stock || 0) };
    if (draft.priceKes.trim()) body.priceKes = Number(draft.priceKes);
    if (await act(() => api('POST', base, body))) setDraft({ name: '', priceKes: '', stock: '0' });
  };

  return (
    <section aria-labelledby="variants-title" class="card">
      <h2 id="variants-title">{t('variants.title')}</h2>
      <p class="lead">{t('variants.lead')}</p>
      <Problem message={problem} />
      {product.variants.length === 0 && <p class="muted">{t('variants.none')}</p>}
      <ul class="plain">
        {product.variants.map((v) => (
          <VariantRow
            key={v.id}
            variant={v}
            canWrite={canWrite}
            busy={busy}
            onStock={(stock) => void act(() => api('PATCH', `${base}/${v.id}`, { stock }))}
            onDelete={() => void act(() => api('DELETE', `${base}/${v.id}`))}
          />
        ))}
      </ul>
      {canWrite && (
        <form class="inline-form" onSubmit={(e) => void add(e)} noValidate>
          <Field id="v-name" label={t('variants.name')} error={fields.name}>
            <input
              {...described('v-name', undefined, fields.name)}
              value={draft.name}
              placeholder={t('variants.namePlaceholder')}
              onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
            />
          </Field>
          <Field id="v-price" label={t('variants.price')} error={fields.priceKes}>
            <input
              {...described('v-price', undefined, fields.priceKes)}
              inputMode="numeric"
              value={draft.priceKes}
              placeholder={String(product.priceKes)}
              onInput={(e) => setDraft({ ...draft, priceKes: e.currentTarget.value })}
            />
          </Field>
          <Field id="v-stock" label={t('variants.stock')} error={fields.stock}>
            <input
              {...described('v-stock', undefined, fields.stock)}
              inputMode="numeric"
              value={draft.stock}
              onInput={(e) => setDraft({ ...draft, stock: e.currentTarget.value })}
            />
          </Field>
          <button type="submit" disabled={busy || !draft.name.trim()}>
            {t('variants.add')}
          </button>
        </form>
      )}
    </section>
  );
}

function VariantRow(props: {
  variant: Variant;
  canWrite: boolean;
  busy: boolean;
  onStock: (stock: number) => void;
  onDelete: () => void;
}) {
  const { variant: v } = props;
  const [stock, setStock] = useState(String(v.stock));
  const id = `stock-${v.id}`;
  return (
    <li class="variant">
      <span>
        <strong>{v.name}</strong> · {kes(v.priceKes)}
      </span>
      {props.canWrite ? (
        <form class="variant-stock" onSubmit={(e) => (e.preventDefault(), props.onStock(Number(stock)))} noValidate>
          <label for={id}>{t('variants.stockOf', { name: v.name })}</label>
          <input id={id} inputMode="numeric" value={stock} onInput={(e) => setStock(e.currentTarget.value)} />
          <button type="submit" class="secondary" disabled={props.busy || stock === String(v.stock)}>
            {t('common.save')}
          </button>
          <button
            type="button"
            class="secondary danger-text"
            disabled={props.busy}
            aria-label={t('variants.remove', { name: v.name })}
            onClick={props.onDelete}
          >
            {t('common.delete')}
          </button>
        </form>
      ) : (
        <span>{t('products.inStock', { n: v.stock })}</span>
      )}
    </li>
  );
}
