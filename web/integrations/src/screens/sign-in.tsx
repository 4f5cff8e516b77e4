import { useState } from 'preact/hooks';
import { api, ApiError, errorText, type Session } from '../api';
import { described, Field, Problem } from '../ui';

export function SignInScreen({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    setFields({});
    try {
      await api('POST', '/api/auth/login', { email, password });
      onSignedIn(await api<Session>('GET', '/api/auth/me'));
    } catch (err) {
      if (err instanceof ApiError) setFields(err.fields);
      setProblem(
        err instanceof ApiError && err.status === 401 ? 'That email and password do not match.' : errorText(err),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in">
      <h1 tabIndex={-1}>Sign in to Integrations</h1>
      <p>Manage the webhooks, partner access, API keys and M-Pesa settings of your SokoHub shop.</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Problem message={problem} />
        <Field id="email" label="Email" error={fields.email}>
          <input
            {...described('email', undefined, fields.email)}
            type="email"
            autocomplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </Field>
        <Field id="password" label="Password" error={fields.password}>
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
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
