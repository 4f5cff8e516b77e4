import { t } from '../i18n';
import { useState } from 'preact/hooks';
import { api, ApiError, type ApiKey, errorText, type PartnerAccess, type Session } from '../api';
import { when } from '../format';
import { Confirm, CopyButton, described, Done, Empty, Field, Loading, Problem } from '../ui';
import { useApi } from '../use-api';

/** Partner companies the shop lets in, and the shop's API keys (both the owner's alone). */
export function AccessScreen({ session }: { session: Session }) {
  if (session.user.role !== 'OWNER')
    return (
      <section aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1}>
          {t('integrations.access')}
        </h1>
        <p>{t('int.accessOwnerOnly')}</p>
      </section>
    );
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {t('integrations.access')}
      </h1>
      <Partners />
      <ApiKeys />
    </section>
  );
}

function Partners() {
  const { data: list, problem: loadProblem, reload } = useApi<PartnerAccess[]>('/api/partner-access');
  const [companyId, setCompanyId] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<PartnerAccess | null>(null);

  const grant = async (e: Event) => {
    e.preventDefault();
    setFieldError(undefined);
    setProblem(null);
    setDone(null);
    if (!companyId.trim()) return setFieldError(t('int.enterCompany'));
    try {
      const g = await api<PartnerAccess>('PUT', `/api/partner-access/${encodeURIComponent(companyId.trim())}`);
      setDone(t('int.granted', { name: g.companyName }));
      setCompanyId('');
      reload();
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setFieldError(t('int.noCompany'));
      else setProblem(errorText(err));
    }
  };
  const revoke = async () => {
    if (!revoking) return;
    try {
      await api('DELETE', `/api/partner-access/${encodeURIComponent(revoking.companyId)}`);
      setDone(t('int.revoked', { name: revoking.companyName }));
      reload();
    } catch (err) {
      setProblem(errorText(err));
    }
    setRevoking(null);
  };

  return (
    <section aria-labelledby="partners-title">
      <h2 id="partners-title">{t('int.partners')}</h2>
      <p class="lead">{t('int.partnersLead')}</p>
      <Problem message={problem ?? loadProblem} />
      <Done message={done} />
      {!list && !loadProblem && <Loading what={t('int.partnersLoading')} />}
      {list?.length === 0 && <Empty>{t('int.noPartners')}</Empty>}
      <ul class="cards">
        {list?.map((p) => (
          <li class="card" key={p.companyId}>
            <div class="card-head">
              <strong>{p.companyName}</strong>
              <button type="button" class="danger" onClick={() => setRevoking(p)}>
                {t('int.revoke')}
              </button>
            </div>
            <p class="muted">
              <code>{p.companyId}</code> · {t('int.since', { when: when(p.grantedAt) })}
            </p>
          </li>
        ))}
      </ul>
      <form class="inline-form" onSubmit={(e) => void grant(e)} noValidate>
        <Field id="company-id" label={t('int.companyId')} hint={t('int.companyHint')} error={fieldError}>
          <input
            {...described('company-id', 'hint', fieldError)}
            type="text"
            value={companyId}
            onInput={(e) => setCompanyId(e.currentTarget.value)}
          />
        </Field>
        <button type="submit">{t('int.grant')}</button>
      </form>
      <Confirm
        open={revoking !== null}
        title={t('int.revokeTitle', { name: revoking?.companyName ?? '' })}
        confirmLabel={t('int.revokeAccess')}
        danger
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(null)}
      >
        <p>{t('int.revokeBody')}</p>
      </Confirm>
    </section>
  );
}

function ApiKeys() {
  const { data: keys, problem: loadProblem, reload } = useApi<ApiKey[]>('/api/api-keys');
  const [name, setName] = useState('');
  const [access, setAccess] = useState<'read' | 'full'>('read');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [created, setCreated] = useState<ApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  const create = async (e: Event) => {
    e.preventDefault();
    setFields({});
    setProblem(null);
    try {
      setCreated(await api<ApiKey>('POST', '/api/api-keys', { name: name.trim(), access }));
      setName('');
      reload();
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fields).length) setFields(err.fields);
      else setProblem(errorText(err));
    }
  };
  const revoke = async () => {
    if (!revoking) return;
    try {
      await api('DELETE', `/api/api-keys/${revoking.id}`);
      reload();
    } catch (err) {
      setProblem(errorText(err));
    }
    setRevoking(null);
  };

  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">{t('int.apiKeys')}</h2>
      <p class="lead">{t('int.keysLead', { header: 'Authorization: Bearer sk_…' })}</p>
      <Problem message={problem ?? loadProblem} />
      {created?.key && (
        <div class="secret">
          <h3>{t('int.newKey', { name: created.name })}</h3>
          <p>
            <strong>{t('int.copyNow')}</strong>
          </p>
          <div class="secret-value">
            <code data-testid="api-key">{created.key}</code>
            <CopyButton text={created.key} label={t('int.copyKey')} />
          </div>
          <button type="button" class="secondary" onClick={() => setCreated(null)}>
            {t('int.saved')}
          </button>
        </div>
      )}
      {!keys && !loadProblem && <Loading what={t('int.keysLoading')} />}
      {keys?.length === 0 && <Empty>{t('int.noKeys')}</Empty>}
      <ul class="cards">
        {keys?.map((k) => (
          <li class="card" key={k.id}>
            <div class="card-head">
              <strong>{k.name}</strong>
              <button type="button" class="danger" onClick={() => setRevoking(k)}>
                {t('int.revoke')}
              </button>
            </div>
            <p class="muted">
              <code>{k.prefix}…</code> · {k.access === 'read' ? t('int.readOnly') : t('int.fullAccess')} ·{' '}
              {t('int.made', { when: when(k.createdAt) })} ·{' '}
              {k.lastUsedAt ? t('int.lastUsed', { when: when(k.lastUsedAt) }) : t('int.neverUsed')}
            </p>
          </li>
        ))}
      </ul>
      <form class="inline-form" onSubmit={(e) => void create(e)} noValidate>
        <Field id="key-name" label={t('int.keyFor')} error={fields.name}>
          <input
            {...described('key-name', undefined, fields.name)}
            type="text"
            maxLength={80}
            placeholder="Zapier"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </Field>
        <Field id="key-access" label={t('int.access')} error={fields.access}>
          <select id="key-access" value={access} onChange={(e) => setAccess(e.currentTarget.value as 'read' | 'full')}>
            <option value="read">{t('int.readOnly')}</option>
            <option value="full">{t('int.fullAccessLong')}</option>
          </select>
        </Field>
        <button type="submit">{t('int.createKey')}</button>
      </form>
      <Confirm
        open={revoking !== null}
        title={t('int.revokeKeyTitle', { name: revoking?.name ?? '' })}
        confirmLabel={t('int.revokeKey')}
        danger
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(null)}
      >
        <p>{t('int.revokeKeyBody')}</p>
      </Confirm>
    </section>
  );
}
