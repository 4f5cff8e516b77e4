import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, errorText, whenReauthNeeded } from './api';
import { t } from './i18n';
import { described, Field, Problem } from './ui';

/**
 * Sudo mode: a change to staff, API keys or M-Pesa needs the password entered within the last few minutes. When the
 * API asks for it, this dialog asks the seller, and the change is sent again; the 403 is never the message.
 */
export function ReauthDialog() {
  const ref = useRef<HTMLDialogElement>(null);
  const pending = useRef<((ok: boolean) => void) | null>(null);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    whenReauthNeeded(
      () =>
        new Promise<boolean>((resolve) => {
          pending.current = resolve;
          setPassword('');
          setProblem(null);
          ref.current?.showModal();
        }),
    );
  }, []);
  const finish = (ok: boolean) => {
    pending.current?.(ok);
    pending.current = null;
    if (ref.current?.open) ref.current.close();
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await api('POST', '/api/auth/reauth', { password });
      finish(true);
    } catch (err) {
      setProblem(err instanceof ApiError && err.status === 401 ? t('reauth.wrong') : errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <dialog ref={ref} aria-labelledby="reauth-title" onClose={() => finish(false)}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <h2 id="reauth-title">{t('reauth.title')}</h2>
        <p>{t('reauth.why')}</p>
        <Problem message={problem} />
        <Field id="reauth-password" label={t('signIn.password')}>
          <input
            {...described('reauth-password')}
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <div class="actions">
          <button type="button" class="secondary" onClick={() => finish(false)}>
            {t('common.cancel')}
          </button>
          <button type="submit" disabled={busy || !password}>
            {t('reauth.confirm')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
