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
          Partners &amp; API keys
        </h1>
        <p>Only the shop owner can see and change partner access and API keys.</p>
      </section>
    );
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Partners &amp; API keys
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
    if (!companyId.trim()) return setFieldError('Enter the company id your partner gave you.');
    try {
      const g = await api<PartnerAccess>('PUT', `/api/partner-access/${encodeURIComponent(companyId.trim())}`);
      setDone(`${g.companyName} can now manage webhooks for your shop.`);
      setCompanyId('');
      reload();
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setFieldError('No partner company has this id.');
      else setProblem(errorText(err));
    }
  };
  const revoke = async () => {
    if (!revoking) return;
    try {
      await api('DELETE', `/api/partner-access/${encodeURIComponent(revoking.companyId)}`);
      setDone(`${revoking.companyName} no longer has access. Its webhooks for your shop stopped.`);
      reload();
    } catch (err) {
      setProblem(errorText(err));
    }
    setRevoking(null);
  };

  return (
    <section aria-labelledby="partners-title">
      <h2 id="partners-title">Partner companies</h2>
      <p class="lead">
        Companies you work with (a delivery service, an accounting tool) can receive your shop's events on their own
        addresses once you let them in. You can take access back at any time.
      </p>
      <Problem message={problem ?? loadProblem} />
      <Done message={done} />
      {!list && !loadProblem && <Loading what="partners" />}
      {list?.length === 0 && <Empty>No partner company has access.</Empty>}
      <ul class="cards">
        {list?.map((p) => (
          <li class="card" key={p.companyId}>
            <div class="card-head">
              <strong>{p.companyName}</strong>
              <button type="button" class="danger" onClick={() => setRevoking(p)}>
                Revoke
              </button>
            </div>
            <p class="muted">
              <code>{p.companyId}</code> · since {when(p.grantedAt)}
            </p>
          </li>
        ))}
      </ul>
      <form class="inline-form" onSubmit={(e) => void grant(e)} noValidate>
        <Field
          id="company-id"
          label="Company id"
          hint="Your partner gives it to you (it starts with cmp_)."
          error={fieldError}
        >
          <input
            {...described('company-id', 'hint', fieldError)}
            type="text"
            value={companyId}
            onInput={(e) => setCompanyId(e.currentTarget.value)}
          />
        </Field>
        <button type="submit">Grant access</button>
      </form>
      <Confirm
        open={revoking !== null}
        title={`Revoke ${revoking?.companyName ?? ''}?`}
        confirmLabel="Revoke access"
        danger
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(null)}
      >
        <p>Its webhooks for your shop stop at once. You can grant access again later.</p>
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
      <h2 id="keys-title">API keys</h2>
      <p class="lead">
        For your own server, Zapier or Make to call the SokoHub API for this shop: send the key as{' '}
        <code>Authorization: Bearer sk_…</code>.
      </p>
      <Problem message={problem ?? loadProblem} />
      {created?.key && (
        <div class="secret">
          <h3>Your new key “{created.name}”</h3>
          <p>
            <strong>Copy it now: it is shown only this once.</strong>
          </p>
          <div class="secret-value">
            <code data-testid="api-key">{created.key}</code>
            <CopyButton text={created.key} label="Copy key" />
          </div>
          <button type="button" class="secondary" onClick={() => setCreated(null)}>
            I have saved it
          </button>
        </div>
      )}
      {!keys && !loadProblem && <Loading what="API keys" />}
      {keys?.length === 0 && <Empty>No API keys yet.</Empty>}
      <ul class="cards">
        {keys?.map((k) => (
          <li class="card" key={k.id}>
            <div class="card-head">
              <strong>{k.name}</strong>
              <button type="button" class="danger" onClick={() => setRevoking(k)}>
                Revoke
              </button>
            </div>
            <p class="muted">
              <code>{k.prefix}…</code> · {k.access === 'read' ? 'Read only' : 'Full access'} · made {when(k.createdAt)}{' '}
              · {k.lastUsedAt ? `last used ${when(k.lastUsedAt)}` : 'never used'}
            </p>
          </li>
        ))}
      </ul>
      <form class="inline-form" onSubmit={(e) => void create(e)} noValidate>
        <Field id="key-name" label="What is the key for?" error={fields.name}>
          <input
            {...described('key-name', undefined, fields.name)}
            type="text"
            maxLength={80}
            placeholder="Zapier"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </Field>
        <Field id="key-access" label="Access" error={fields.access}>
          <select id="key-access" value={access} onChange={(e) => setAccess(e.currentTarget.value as 'read' | 'full')}>
            <option value="read">Read only</option>
            <option value="full">Full access (what the owner may do)</option>
          </select>
        </Field>
        <button type="submit">Create key</button>
      </form>
      <Confirm
        open={revoking !== null}
        title={`Revoke the key “${revoking?.name ?? ''}”?`}
        confirmLabel="Revoke key"
        danger
        onConfirm={() => void revoke()}
        onCancel={() => setRevoking(null)}
      >
        <p>Anything using this key is refused from now on. This cannot be undone.</p>
      </Confirm>
    </section>
  );
}
