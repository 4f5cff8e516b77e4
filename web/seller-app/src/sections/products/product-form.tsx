import { useEffect, useState } from 'preact/hooks';
import { api, type Session } from '../../api';
import type { Product } from '../../api-types';
import { t } from '../../i18n';
import { go, href } from '../../router';
import { Confirm, described, Done, Field, Loading, Problem } from '../../ui';
import { useAction } from '../../use-action';
import { useApi } from '../../use-api';
import { resizePhoto } from './photo';
import { PhotoStrip } from './photo-strip';
import { ReviewsPanel } from './reviews-panel';
import { VariantsPanel } from './variants-panel';

const TEXT_FIELDS = ['name', 'description', 'sku', 'category'] as const;
const NUMBER_FIELDS = ['priceKes', 'compareAtPriceKes', 'stock', 'lowStockThreshold'] as const;
type FieldName = (typeof TEXT_FIELDS)[number] | (typeof NUMBER_FIELDS)[number];
type Form = Record<FieldName, string> & { isActive: boolean };

const EMPTY: Form = {
  name: '',
  description: '',
  sku: '',
  category: '',
  priceKes: '',
  compareAtPriceKes: '',
  stock: '0',
  lowStockThreshold: '5',
  isActive: true,
};

const toForm = (p: Product): Form => ({
  name: p.name,
  description: p.description ?? '',
  sku: p.sku ?? '',
  category: p.category ?? '',
  priceKes: String(p.priceKes),
  compareAtPriceKes: p.compareAtPriceKes === null ? '' : String(p.compareAtPriceKes),
  stock: String(p.stock),
  lowStockThreshold: String(p.lowStockThreshold),
  isActive: p.isActive,
});

/** Create or edit a product; a new photo (taken or picked) is made small in the browser and sent with the fields. */
export function ProductForm({ session, productId }: { session: Session; productId?: string }) {
  const existing = useApi<Product>(productId ? `/api/products/${encodeURIComponent(productId)}` : null);
  const [form, setForm] = useState<Form>(EMPTY);
  const [photo, setPhoto] = useState<Blob | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const { busy, problem, fields, done, run, setProblem } = useAction();
  const [deleting, setDeleting] = useState(false);
  const canWrite = session.user.role !== 'VIEWER';
  const product = existing.data;
  // A product sold by variant has their stock's sum: changed on each variant, shown here read-only and never sent.
  const soldByVariant = (product?.variants.length ?? 0) > 0;

  useEffect(() => {
    if (product) setForm(toForm(product));
  }, [product?.id, product?.updatedAt]);
  // A variant's stock changes the product's sum without touching the product: only that field follows, so what the
  // seller is typing elsewhere in the form stays.
  useEffect(() => {
    if (product) setForm((f) => ({ ...f, stock: String(product.stock) }));
  }, [product?.stock]);
  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);

  const set = (name: FieldName, value: string) => setForm({ ...form, [name]: value });
  const pick = async (file: File | undefined) => {
    if (!file) return;
    setProblem(null);
    try {
      const small = await resizePhoto(file);
      setPhoto(small);
      setPreview(URL.createObjectURL(small));
    } catch {
      setProblem(t('product.photoUnreadable'));
    }
  };

  const save = (e: Event) => {
    e.preventDefault();
    // Blank optional fields are left out: the API keeps what it had (or its default).
    const body = new FormData();
    for (const name of [...TEXT_FIELDS, ...NUMBER_FIELDS]) {
      if (name === 'stock' && soldByVariant) continue;
      const value = form[name].trim();
      if (value !== '' || name === 'name' || name === 'priceKes') body.set(name, value);
    }
    body.set('isActive', String(form.isActive));
    if (photo) body.set('image', photo, 'photo.jpg');
    const path = product ? `/api/products/${encodeURIComponent(product.id)}` : '/api/products';
    void run(
      () => api<Product>(product ? 'PATCH' : 'POST', path, { raw: body }),
      (saved) => {
        setPhoto(null);
        setPreview(null);
        if (!product) return go(`/products/${saved.id}`);
        existing.setData(saved);
        return t('product.saved');
      },
    );
  };

  const remove = async () => {
    if (!product) return;
    if (await run(() => api('DELETE', `/api/products/${encodeURIComponent(product.id)}`))) go('/products');
    else setDeleting(false);
  };

  if (productId && existing.problem)
    return (
      <>
        <h1 tabIndex={-1}>{t('product.title')}</h1>
        <Problem message={existing.problem} />
      </>
    );
  if (productId && !product) return <Loading what={t('product.loading')} />;

  const input = (name: FieldName, props: { hint?: string; inputMode?: 'numeric'; locked?: boolean } = {}) => (
    <Field id={`p-${name}`} label={t(`product.field.${name}`)} hint={props.hint} error={fields[name]}>
      <input
        {...described(`p-${name}`, props.hint, fields[name])}
        type="text"
        inputMode={props.inputMode}
        value={form[name]}
        disabled={!canWrite || props.locked}
        onInput={(e) => set(name, e.currentTarget.value)}
      />
    </Field>
  );
  const image = preview ?? product?.images.at(-1)?.url;
  return (
    <>
      <p class="crumbs">
        <a href={href('/products')}>{t('nav.products')}</a> › {product ? product.name : t('product.new')}
      </p>
      <h1 tabIndex={-1}>{product ? product.name : t('product.new')}</h1>
      <Done message={done} />
      <form onSubmit={save} noValidate class="product-form">
        <Problem message={problem} />
        <div class="photo">
          {image ? (
            <img src={image} alt={t('product.photoAlt')} class="photo-preview" />
          ) : (
            <div class="photo-preview empty-photo">{t('product.noPhoto')}</div>
          )}
          {product && <PhotoStrip product={product} canWrite={canWrite} onChange={(p) => existing.setData(p)} />}
          {canWrite && (
            <Field id="p-image" label={t('product.photo')} hint={t('product.photoHint')} error={fields.image}>
              <input
                {...described('p-image', t('product.photoHint'), fields.image)}
                type="file"
                accept="image/jpeg,image/png,image/webp,image/*"
                onChange={(e) => void pick(e.currentTarget.files?.[0])}
              />
            </Field>
          )}
        </div>
        {input('name')}
        <Field id="p-description" label={t('product.field.description')} error={fields.description}>
          <textarea
            {...described('p-description', undefined, fields.description)}
            rows={3}
            value={form.description}
            disabled={!canWrite}
            onInput={(e) => set('description', e.currentTarget.value)}
          />
        </Field>
        <div class="two">
          {input('priceKes', { inputMode: 'numeric', hint: t('product.priceHint') })}
          {input('compareAtPriceKes', { inputMode: 'numeric' })}
        </div>
        <div class="two">
          {input('stock', {
            inputMode: 'numeric',
            locked: soldByVariant,
            hint: soldByVariant ? t('product.stockByVariant') : undefined,
          })}
          {input('lowStockThreshold', { inputMode: 'numeric', hint: t('product.lowHint') })}
        </div>
        <div class="two">
          {input('sku')}
          {input('category')}
        </div>
        <label class="check">
          <input
            type="checkbox"
            checked={form.isActive}
            disabled={!canWrite}
            onChange={(e) => setForm({ ...form, isActive: e.currentTarget.checked })}
          />
          {t('product.field.isActive')}
        </label>
        {canWrite && (
          <div class="actions">
            <button type="submit" disabled={busy}>
              {busy ? t('common.saving') : product ? t('common.save') : t('product.create')}
            </button>
            {product && (
              <button type="button" class="danger" disabled={busy} onClick={() => setDeleting(true)}>
                {t('common.delete')}
              </button>
            )}
          </div>
        )}
      </form>
      {product && <VariantsPanel product={product} canWrite={canWrite} onChange={(p) => existing.setData(p)} />}
      {product && <ReviewsPanel productId={product.id} canWrite={canWrite} />}
      <Confirm
        open={deleting}
        title={t('product.deleteTitle', { name: product?.name ?? '' })}
        confirmLabel={t('common.delete')}
        danger
        busy={busy}
        onConfirm={() => void remove()}
        onCancel={() => setDeleting(false)}
      >
        <p>{t('product.deleteBody')}</p>
      </Confirm>
    </>
  );
}
