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
            {shown && <CopyButton text={value} label={`Copy ${label.toLowerCase()}`} />}
          </span>
        ) : (
          'Made when you register'
        )}
      </dd>
    </div>
  );
  return (
    <section aria-labelledby="c2b-title">
      <h2 id="c2b-title">Till and paybill payments</h2>
      <p class="lead">
        Buyers who pay your till or paybill from their M-Pesa menu are matched to their orders: a paybill payment by the
        order reference typed as the account number, a till payment by its amount and phone.
      </p>
      <Problem message={problem} />
      <Done
        message={
          shown
            ? `Registered with Safaricom for ${shown.shortcode}: ${shown.darajaResponse}. Copy the addresses now.`
            : null
        }
      />
      <dl class="facts">
        <div>
          <dt>Registration</dt>
          <dd>{c2b.registered ? `Registered ${when(c2b.registeredAt)}` : 'Not registered yet'}</dd>
        </div>
        {url('Confirmation URL', c2b.confirmationUrl)}
        {url('Validation URL', c2b.validationUrl)}
      </dl>
      <form onSubmit={(e) => void register(e)} noValidate>
        <Field
          id="c2b-response-type"
          label="If our validation does not answer in time"
          hint="Safaricom registers these addresses once per shortcode; later changes go through its portal."
        >
          <select
            id="c2b-response-type"
            aria-describedby="c2b-response-type-hint"
            value={responseType}
            onChange={(e) => setResponseType(e.currentTarget.value as 'Completed' | 'Cancelled')}
          >
            <option value="Completed">Accept the payment</option>
            <option value="Cancelled">Refuse the payment</option>
          </select>
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? 'Registering…' : c2b.registered ? 'Register again' : 'Register with Safaricom'}
        </button>
      </form>
    </section>
  );
}
