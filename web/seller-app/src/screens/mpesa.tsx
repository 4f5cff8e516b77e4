import { t } from '../i18n';
import { useState } from 'preact/hooks';
import { api, ApiError, errorText, type MpesaSettings, type Session } from '../api';
import { when } from '../format';
import { CopyButton, described, Done, Field, Loading, Problem } from '../ui';
import { useApi } from '../use-api';
import { C2bRegistrationPanel } from './mpesa-c2b';
import { UnmatchedPayments } from './unmatched-payments';

const EMPTY = {
  shortcode: '',
  passkey: '',
  consumerKey: '',
  consumerSecret: '',
  environment: 'sandbox',
  initiatorName: '',
  securityCredential: '',
};

/**
 * The shop's M-Pesa (Daraja) settings: whether they are saved, the callback address and the till/paybill registration,
 * never the secrets (owner only); and the till and paybill payments waiting to be matched (every member).
 */
export function MpesaScreen({ session }: { session: Session }) {
  const [form, setForm] = useState(EMPTY);
  const [validation, setValidation] = useState<boolean | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const owner = session.user.role === 'OWNER';
  const {
    data: settings,
    problem: loadProblem,
    setData: setSettings,
  } = useApi<MpesaSettings>(owner ? '/api/payments/mpesa/settings' : null);

  if (!owner)
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1}>
          M-Pesa
        </h1>
        <p>{t('mpesa.ownerOnly')}</p>
        <UnmatchedPayments session={session} />
      </section>
    );

  const set = (name: keyof typeof EMPTY) => (e: { currentTarget: { value: string } }) =>
    setForm({ ...form, [name]: e.currentTarget.value });
  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setFields({});
    setProblem(null);
    setDone(null);
    try {
      // Blank initiator fields keep what is stored (it is never shown, so the form cannot send it back).
      const { initiatorName, securityCredential, ...rest } = form;
      setSettings(
        await api<MpesaSettings>('PUT', '/api/payments/mpesa/settings', {
          ...rest,
          ...(initiatorName ? { initiatorName } : {}),
          ...(securityCredential ? { securityCredential } : {}),
          c2bValidation: validation ?? settings?.c2bValidation ?? false,
        }),
      );
      setForm(EMPTY);
      setDone(t('mpesa.saved'));
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length) setFields(err.fields);
      else setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const input = (name: keyof typeof EMPTY, label: string, hint?: string, secret = false) => (
    <Field id={`mpesa-${name}`} label={label} hint={hint} error={fields[name]}>
      {secret ? (
        <input
          {...described(`mpesa-${name}`, hint, fields[name])}
          type="password"
          autocomplete="new-password"
          value={form[name]}
          onInput={set(name)}
        />
      ) : (
        <input
          {...described(`mpesa-${name}`, hint, fields[name])}
          type="text"
          autocomplete="off"
          value={form[name]}
          onInput={set(name)}
        />
      )}
    </Field>
  );

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        M-Pesa
      </h1>
      <Problem message={problem ?? loadProblem} />
      <Done message={done} />
      {!settings && !loadProblem && <Loading what={t('mpesa.loading')} />}
      {settings && (
        <dl class="facts">
          <div>
            <dt>{t('mpesa.credentials')}</dt>
            <dd>
              {settings.configured
                ? t('mpesa.savedFor', {
                    shortcode: settings.shortcode ?? '',
                    env: settings.environment === 'production' ? t('mpesa.live') : t('mpesa.sandbox'),
                    when: when(settings.updatedAt),
                  })
                : t('mpesa.notSaved')}
            </dd>
          </div>
          <div>
            <dt>{t('mpesa.callback')}</dt>
            <dd>
              {settings.callbackUrl ? (
                <span class="secret-value">
                  <code>{settings.callbackUrl}</code>
                  <CopyButton text={settings.callbackUrl} label={t('mpesa.copyAddress')} />
                </span>
              ) : (
                t('mpesa.madeOnSave')
              )}
            </dd>
          </div>
          <div>
            <dt>{t('mpesa.initiator')}</dt>
            <dd>{settings.initiatorConfigured ? t('mpesa.savedWord') : t('mpesa.notSavedWord')}</dd>
          </div>
        </dl>
      )}
      {settings?.configured && (
        <C2bRegistrationPanel c2b={settings.c2b} onChange={(c2b) => setSettings({ ...settings, c2b })} />
      )}
      <UnmatchedPayments session={session} />
      <h2>{settings?.configured ? t('mpesa.replace') : t('mpesa.save')}</h2>
      <p class="lead">{t('mpesa.lead')}</p>
      <form onSubmit={(e) => void save(e)} noValidate>
        {input('shortcode', t('mpesa.shortcode'))}
        {input('passkey', t('mpesa.passkey'), undefined, true)}
        {input('consumerKey', t('mpesa.consumerKey'))}
        {input('consumerSecret', t('mpesa.consumerSecret'), undefined, true)}
        <Field id="mpesa-environment" label={t('mpesa.environment')} error={fields.environment}>
          <select id="mpesa-environment" value={form.environment} onChange={set('environment')}>
            <option value="sandbox">{t('mpesa.sandboxOption')}</option>
            <option value="production">{t('mpesa.liveOption')}</option>
          </select>
        </Field>
        {input('initiatorName', t('mpesa.initiatorName'), t('mpesa.initiatorHint'))}
        {input('securityCredential', t('mpesa.credential'), t('mpesa.credentialHint'), true)}
        <div class="field">
          <label>
            <input
              type="checkbox"
              checked={validation ?? settings?.c2bValidation ?? false}
              onChange={(e) => setValidation(e.currentTarget.checked)}
            />{' '}
            {t('mpesa.validation')}
          </label>
        </div>
        <button type="submit" disabled={busy}>
          {busy ? t('common.saving') : t('mpesa.saveButton')}
        </button>
      </form>
    </section>
  );
}
