import { useState } from 'preact/hooks';
import { api, type Role, type Session } from '../../api';
import type { StaffMember } from '../../api-types';
import { t } from '../../i18n';
import { href } from '../../router';
import { Confirm, described, Done, Field, Loading, Problem } from '../../ui';
import { useAction } from '../../use-action';
import { useApi } from '../../use-api';

const ROLES: Role[] = ['OWNER', 'MANAGER', 'VIEWER'];

/** Who works in the shop (owner only; changes ask for the password again, as the API requires). */
export function StaffScreen({ session }: { session: Session }) {
  const { data, problem, reload } = useApi<StaffMember[]>('/api/staff');
  const [form, setForm] = useState({ email: '', name: '', role: 'MANAGER' as Role, password: '' });
  const { busy, problem: error, fields, done, run } = useAction();
  const [removing, setRemoving] = useState<StaffMember | null>(null);

  const act = async (work: () => Promise<unknown>, message: string) => {
    const ok = await run(work, () => (reload(), message));
    setRemoving(null);
    return ok;
  };
  const invite = async (e: Event) => {
    e.preventDefault();
    const body = { ...form, name: form.name.trim() || undefined };
    if (await act(() => api('POST', '/api/staff', body), t('staff.added', { email: form.email })))
      setForm({ email: '', name: '', role: 'MANAGER', password: '' });
  };

  return (
    <>
      <p class="crumbs">
        <a href={href('/settings')}>{t('nav.settings')}</a> › {t('settings.staff')}
      </p>
      <h1 tabIndex={-1}>{t('settings.staff')}</h1>
      <Problem message={problem ?? error} />
      <Done message={done} />
      {!data && !problem && <Loading what={t('settings.staff')} />}
      <ul class="cards">
        {data?.map((m) => (
          <li key={m.id} class="card">
            <div class="card-head">
              <span>
                <strong>{m.name ?? m.email}</strong>
                <br />
                <span class="muted">{m.email}</span>
              </span>
              {m.id === session.user.id ? (
                <span>{t(`role.${m.role}`)}</span>
              ) : (
                <div class="actions">
                  <label class="visually-hidden" for={`role-${m.id}`}>
                    {t('staff.roleOf', { email: m.email })}
                  </label>
                  <select
                    id={`role-${m.id}`}
                    value={m.role}
                    disabled={busy}
                    onChange={(e) => {
                      const role = e.currentTarget.value as Role;
                      void act(() => api('PATCH', `/api/staff/${m.id}`, { role }), t('staff.roleChanged'));
                    }}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {t(`role.${r}`)}
                      </option>
                    ))}
                  </select>
                  <button type="button" class="danger" disabled={busy} onClick={() => setRemoving(m)}>
                    {t('staff.remove')}
                  </button>
                </div>
              )}
            </div>
          </li>
        ))}
      </ul>
      <section aria-labelledby="invite-title" class="card">
        <h2 id="invite-title">{t('staff.invite')}</h2>
        <p class="lead">{t('staff.inviteLead')}</p>
        <form onSubmit={(e) => void invite(e)} noValidate>
          <Field id="st-email" label={t('signIn.email')} error={fields.email}>
            <input
              {...described('st-email', undefined, fields.email)}
              type="email"
              value={form.email}
              onInput={(e) => setForm({ ...form, email: e.currentTarget.value })}
            />
          </Field>
          <Field id="st-name" label={t('staff.name')} error={fields.name}>
            <input
              {...described('st-name', undefined, fields.name)}
              value={form.name}
              onInput={(e) => setForm({ ...form, name: e.currentTarget.value })}
            />
          </Field>
          <Field id="st-role" label={t('staff.role')} error={fields.role}>
            <select
              {...described('st-role', undefined, fields.role)}
              value={form.role}
              onChange={(e) => setForm({ ...form, role: e.currentTarget.value as Role })}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)} — {t(`role.${r}.about`)}
                </option>
              ))}
            </select>
          </Field>
          <Field id="st-password" label={t('staff.password')} hint={t('staff.passwordHint')} error={fields.password}>
            <input
              {...described('st-password', t('staff.passwordHint'), fields.password)}
              type="password"
              autocomplete="new-password"
              value={form.password}
              onInput={(e) => setForm({ ...form, password: e.currentTarget.value })}
            />
          </Field>
          <button type="submit" disabled={busy}>
            {t('staff.add')}
          </button>
        </form>
      </section>
      <Confirm
        open={removing !== null}
        title={t('staff.removeTitle', { email: removing?.email ?? '' })}
        confirmLabel={t('staff.remove')}
        danger
        busy={busy}
        onConfirm={() => {
          const m = removing;
          if (m) void act(() => api('DELETE', `/api/staff/${m.id}`), t('staff.removed', { email: m.email }));
        }}
        onCancel={() => setRemoving(null)}
      >
        <p>{t('staff.removeBody')}</p>
      </Confirm>
    </>
  );
}
