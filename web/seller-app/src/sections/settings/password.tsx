import { useState } from 'preact/hooks';
import { api } from '../../api';
import { t } from '../../i18n';
import { href } from '../../router';
import { described, Done, Field, Problem } from '../../ui';
import { useAction } from '../../use-action';

/**
 * Change my password (every role: a VIEWER given a first password by the owner changes it here). The API ends the
 * other sessions and keeps this one, so the seller stays on the page.
 */
export function PasswordScreen() {
  const [form, setForm] = useState({ currentPassword: '', newPassword: '' });
  const { busy, problem, fields, done, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(
      () => api('POST', '/api/auth/password', form),
      () => (setForm({ currentPassword: '', newPassword: '' }), t('password.changed')),
    );
  };
  const input = (name: 'currentPassword' | 'newPassword', autocomplete: string, hint?: string) => (
    <Field id={`pw-${name}`} label={t(`password.${name}`)} hint={hint} error={fields[name]}>
      <input
        {...described(`pw-${name}`, hint, fields[name])}
        type="password"
        autocomplete={autocomplete}
        required
        minLength={name === 'newPassword' ? 8 : undefined}
        value={form[name]}
        onInput={(e) => setForm({ ...form, [name]: e.currentTarget.value })}
      />
    </Field>
  );
  return (
    <>
      <p class="crumbs">
        <a href={href('/settings')}>{t('nav.settings')}</a> › {t('settings.password')}
      </p>
      <h1 tabIndex={-1}>{t('settings.password')}</h1>
      <form onSubmit={submit} noValidate data-own-account>
        <Problem message={problem} />
        <Done message={done} />
        {input('currentPassword', 'current-password')}
        {input('newPassword', 'new-password', t('staff.passwordHint'))}
        <button type="submit" disabled={busy || !form.currentPassword || !form.newPassword}>
          {busy ? t('common.saving') : t('password.submit')}
        </button>
      </form>
    </>
  );
}
