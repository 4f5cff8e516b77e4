import { t } from '../i18n';
import { useState } from 'preact/hooks';
import { api, errorText, type C2bRegistration } from '../api';
import { when } from '../format';
import { CopyButton, Done, Field, Problem } from '../ui';

type Registered = C2bRegistration & { shortcode: string; darajaResponse: string };

/**
 * Till and paybill payments: registers the shop's confirmation and validation URLs with Safaricom. The URLs are shown
 * whole only in the answer to the registration; afterwards masked, like the callback address.
 */
export function C2bRegistrationPanel(props: { c2b: C2bRegistration; onChange: (c2b: C2bRegistration) => void }) {
  const [responseType, setResponseType] = useState<'Completed' | 'Cancelled'>(props.c2b.responseType ?? 'Completed');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [shown, setShown] = useState<Registered | null>(null);
  const c2b = shown ?? props.c2b;
  const register = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const answer = await api<Registered>('POST', '/api/payments/mpesa/c2b/register', { responseType });
      setShown(answer);
      props.onChange(answer);
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const url = (label: string, value: string | null) => (
    <div>
      <dt>{label}</dt>
      <dd>
        {value ? (
          <span class="secret-value">
            <code>{value}</code>
            {shown && <CopyButton text={value} label={t('c2b.copy', { label })} />}
          </span>
        ) : (
          t('c2b.madeOnRegister')
        )}
      </dd>
    </div>
  );
  return (
    <section aria-labelledby="c2b-title">
      <h2 id="c2b-title">{t('c2b.title')}</h2>
      <p class="lead">{t('c2b.lead')}</p>
      <Problem message={problem} />
      <Done
        message={shown ? t('c2b.registered', { shortcode: shown.shortcode, response: shown.darajaResponse }) : null}
      />
      <dl class="facts">
        <div>
          <dt>{t('c2b.registration')}</dt>
          <dd>{c2b.registered ? t('c2b.registeredAt', { when: when(c2b.registeredAt) }) : t('c2b.notRegistered')}</dd>
        </div>
        {url(t('c2b.confirmationUrl'), c2b.confirmationUrl)}
        {url(t('c2b.validationUrl'), c2b.validationUrl)}
      </dl>
      <form onSubmit={(e) => void register(e)} noValidate>
        <Field id="c2b-response-type" label={t('c2b.timeout')} hint={t('c2b.timeoutHint')}>
          <select
            id="c2b-response-type"
            aria-describedby="c2b-response-type-hint"
            value={responseType}
            onChange={(e) => setResponseType(e.currentTarget.value as 'Completed' | 'Cancelled')}
          >
            <option value="Completed">{t('c2b.accept')}</option>
            <option value="Cancelled">{t('c2b.refuse')}</option>
          </select>
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? t('c2b.registering') : c2b.registered ? t('c2b.again') : t('c2b.register')}
        </button>
      </form>
    </section>
  );
}
