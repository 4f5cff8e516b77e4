import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api, ApiError, errorText, type Session } from '../api';
import { t } from '../i18n';
import { openedAsIntegrations } from '../router';
import { described, Field, Problem } from '../ui';
import { SignUpForm } from './sign-up';

export function SignInScreen(props: { onSignedIn: (s: Session) => void; languagePicker: ComponentChildren }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [creating, setCreating] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    setFields({});
    try {
      await api('POST', '/api/auth/login', { email, password });
      props.onSignedIn(await api<Session>('GET', '/api/auth/me'));
    } catch (err) {
      if (err instanceof ApiError) setFields(err.fields);
      setProblem(err instanceof ApiError && err.status === 401 ? t('signIn.wrong') : errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const integrations = openedAsIntegrations();

  // A new seller opens a shop here (the dashboard only: the Integrations page is for shops that have one).
  if (creating && !integrations)
    return (
      <main id="main" class="sign-in">
        {props.languagePicker}
        <h1 tabIndex={-1}>{t('signUp.title')}</h1>
        <p>{t('signUp.lead')}</p>
        <SignUpForm onSignedIn={props.onSignedIn} />
        <p>
          <button type="button" class="link" onClick={() => setCreating(false)}>
            {t('signUp.haveOne')}
          </button>
        </p>
      </main>
    );
  return (
    <main id="main" class="sign-in">
      {props.languagePicker}
      <h1 tabIndex={-1}>{integrations ? t('signIn.titleIntegrations') : t('signIn.title')}</h1>
      <p>{integrations ? t('signIn.leadIntegrations') : t('signIn.lead')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Problem message={problem} />
        <Field id="email" label={t('signIn.email')} error={fields.email}>
          <input
            {...described('email', undefined, fields.email)}
            type="email"
            autocomplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </Field>
        <Field id="password" label={t('signIn.password')} error={fields.password}>
          <input
            {...described('password', undefined, fields.password)}
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? t('signIn.busy') : t('signIn.submit')}
        </button>
      </form>
      {!integrations && (
        <p>
          <button type="button" class="link" onClick={() => setCreating(true)}>
            {t('signUp.open')}
          </button>
        </p>
      )}
    </main>
  );
}
