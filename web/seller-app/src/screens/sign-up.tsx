import { useState } from 'preact/hooks';
import { api, type Session } from '../api';
import { t } from '../i18n';
import { described, Field, Problem } from '../ui';
import { useAction } from '../use-action';

/** A new seller opens a shop from the phone: the shop and its OWNER in one step, signed in at once (as the API does). */
export function SignUpForm(props: { onSignedIn: (s: Session) => void }) {
  const [form, setForm] = useState({ storeName: '', phone: '', email: '', password: '' });
  const { busy, problem, fields, run } = useAction();

  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await api('POST', '/api/auth/register', form);
      props.onSignedIn(await api<Session>('GET', '/api/auth/me'));
    });
  };
  // The props every field shares; each input states its own type (Preact types an input by it).
  const common = (name: keyof typeof form, hint?: string) => ({
    ...described(`su-${name}`, hint, fields[name]),
    required: true,
    value: form[name],
    onInput: (e: { currentTarget: HTMLInputElement }) => setForm({ ...form, [name]: e.currentTarget.value }),
  });
  return (
    <form onSubmit={submit} noValidate>
      <Problem message={problem} />
      <Field id="su-storeName" label={t('signUp.storeName')} error={fields.storeName}>
        <input type="text" autocomplete="organization" {...common('storeName')} />
      </Field>
      <Field id="su-phone" label={t('signUp.phone')} hint={t('signUp.phoneHint')} error={fields.phone}>
        <input type="tel" autocomplete="tel" {...common('phone', t('signUp.phoneHint'))} />
      </Field>
      <Field id="su-email" label={t('signIn.email')} error={fields.email}>
        <input type="email" autocomplete="username" {...common('email')} />
      </Field>
      <Field id="su-password" label={t('signIn.password')} hint={t('staff.passwordHint')} error={fields.password}>
        <input type="password" autocomplete="new-password" {...common('password', t('staff.passwordHint'))} />
      </Field>
      <button type="submit" disabled={busy}>
        {busy ? t('signUp.busy') : t('signUp.submit')}
      </button>
    </form>
  );
}
