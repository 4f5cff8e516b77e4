import { useEffect, useState } from 'preact/hooks';
import { api, type Session } from '../../api';
import type { ShopSettings } from '../../api-types';
import { t } from '../../i18n';
import { href } from '../../router';
import { described, Done, Field, Loading, Problem } from '../../ui';
import { useAction } from '../../use-action';
import { useApi } from '../../use-api';

/** The shop's own limits (blank: the platform's default, shown as the hint); the owner changes them. */
export function ShopSettingsScreen({ session }: { session: Session }) {
  const { data, problem, setData } = useApi<ShopSettings>('/api/shop/settings');
  const [form, setForm] = useState({ codHoldHours: '', maxUnitsPerLine: '' });
  const { busy, problem: error, fields, done, run } = useAction();
  const owner = session.user.role === 'OWNER';
  useEffect(() => {
    if (data)
      setForm({
        codHoldHours: data.codHoldHours === null ? '' : String(data.codHoldHours),
        maxUnitsPerLine: data.maxUnitsPerLine === null ? '' : String(data.maxUnitsPerLine),
      });
  }, [data]);

  const save = (e: Event) => {
    e.preventDefault();
    const value = (s: string) => (s.trim() === '' ? null : Number(s));
    const body = { codHoldHours: value(form.codHoldHours), maxUnitsPerLine: value(form.maxUnitsPerLine) };
    void run(
      () => api<ShopSettings>('PATCH', '/api/shop/settings', body),
      (saved) => (setData(saved), t('common.saved')),
    );
  };
  const input = (name: 'codHoldHours' | 'maxUnitsPerLine', effective: number) => {
    const hint = t(`shop.${name}.hint`, { n: effective });
    return (
      <Field id={`s-${name}`} label={t(`shop.${name}`)} hint={hint} error={fields[name]}>
        <input
          {...described(`s-${name}`, hint, fields[name])}
          inputMode="numeric"
          value={form[name]}
          disabled={!owner}
          onInput={(e) => setForm({ ...form, [name]: e.currentTarget.value })}
        />
      </Field>
    );
  };
  return (
    <>
      <p class="crumbs">
        <a href={href('/settings')}>{t('nav.settings')}</a> › {t('settings.shop')}
      </p>
      <h1 tabIndex={-1}>{t('settings.shop')}</h1>
      {/* What the shop's own website or app needs: its public address in the storefront API. */}
      <dl class="facts pairs">
        <dt>{t('shop.slug')}</dt>
        <dd>
          <code>{session.seller.storeSlug}</code>
        </dd>
        <dt>{t('shop.storefrontApi')}</dt>
        <dd>
          <code>{`${location.origin}/api/storefront/${session.seller.storeSlug}/products`}</code>
        </dd>
      </dl>
      <Problem message={problem ?? error} />
      {!data && !problem && <Loading what={t('settings.shop')} />}
      {data && (
        <form onSubmit={save} noValidate>
          <Done message={done} />
          {input('codHoldHours', data.effectiveCodHoldHours)}
          {input('maxUnitsPerLine', data.effectiveMaxUnitsPerLine)}
          {owner ? (
            <button type="submit" disabled={busy}>
              {busy ? t('common.saving') : t('common.save')}
            </button>
          ) : (
            <p class="readonly-note">{t('shop.ownerOnly')}</p>
          )}
        </form>
      )}
    </>
  );
}
