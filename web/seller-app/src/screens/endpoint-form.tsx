import { t } from '../i18n';
import { useEffect, useState } from 'preact/hooks';
import type { Revealed } from '../sections/settings/integrations';
import { api, ApiError, type Endpoint, errorText, type Session } from '../api';
import { eventLabel } from '../format';
import { go, href } from '../router';
import { Code, described, Field, Loading, Problem } from '../ui';
import { useEventCatalogue } from '../use-api';

/** Add an endpoint, or edit one (`endpointId`): address, note, and the events it receives, from the catalogue. */
export function EndpointFormScreen(props: { session: Session; endpointId?: string; onCreated: (r: Revealed) => void }) {
  const editing = props.endpointId !== undefined;
  const { types: catalogue, problem: catalogueProblem } = useEventCatalogue();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [loaded, setLoaded] = useState(!editing);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  useEffect(() => {
    if (props.endpointId)
      api<Endpoint>('GET', `/api/webhooks/${props.endpointId}`).then(
        (e) => {
          setUrl(e.url);
          setDescription(e.description ?? '');
          setEvents(e.events);
          setLoaded(true);
        },
        (e) => setProblem(errorText(e)),
      );
  }, [props.endpointId]);

  if (props.session.user.role !== 'OWNER')
    return (
      <section>
        <h1 tabIndex={-1}>{t('int.endpoints')}</h1>
        <p>{t('int.ownerOnlyEndpoints')}</p>
      </section>
    );

  const toggle = (name: string, on: boolean) =>
    setEvents((list) => (on ? [...list.filter((n) => n !== name), name] : list.filter((n) => n !== name)));

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    setFields({});
    const body = { url: url.trim(), description: description.trim() || undefined, events };
    try {
      if (props.endpointId) {
        await api('PATCH', `/api/webhooks/${props.endpointId}`, body);
        go(`/endpoints/${props.endpointId}`);
      } else {
        const created = await api<Endpoint & { secret: string }>('POST', '/api/webhooks', body);
        props.onCreated({ endpointId: created.id, secret: created.secret, rotated: false });
        go(`/endpoints/${created.id}`);
      }
    } catch (err) {
      if (err instanceof ApiError) setFields(plainFields(err.fields));
      setProblem(err instanceof ApiError && Object.keys(err.fields).length ? t('int.correctFields') : errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="page-title">
      <p class="crumbs">
        <a href={href(editing ? `/endpoints/${props.endpointId}` : '/endpoints')}>{t('int.back')}</a>
      </p>
      <h1 id="page-title" tabIndex={-1}>
        {editing ? t('int.editEndpoint') : t('int.addAnEndpoint')}
      </h1>
      {!loaded || !catalogue ? (
        <>
          <Problem message={problem ?? catalogueProblem} />
          {!problem && !catalogueProblem && <Loading what={t('int.eventList')} />}
        </>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <Problem message={problem} />
          <Field id="url" label={t('int.url')} hint={t('int.urlHint')} error={fields.url}>
            <input
              {...described('url', 'hint', fields.url)}
              type="url"
              inputMode="url"
              required
              placeholder="https://example.com/webhooks/sokohub"
              value={url}
              onInput={(e) => setUrl(e.currentTarget.value)}
            />
          </Field>
          <Field id="description" label={t('int.note')} hint={t('int.noteHint')} error={fields.description}>
            <input
              {...described('description', 'hint', fields.description)}
              type="text"
              maxLength={200}
              value={description}
              onInput={(e) => setDescription(e.currentTarget.value)}
            />
          </Field>
          <fieldset
            class={`events${fields.events ? ' has-error' : ''}`}
            aria-describedby={fields.events ? 'events-error' : undefined}
          >
            <legend>{t('int.eventsToSend')}</legend>
            {fields.events && (
              <p class="field-error" id="events-error" role="alert">
                {fields.events}
              </p>
            )}
            <ul>
              {catalogue.map((type) => (
                <li key={type.event}>
                  <label class="check">
                    <input
                      type="checkbox"
                      name="events"
                      value={type.event}
                      checked={events.includes(type.event)}
                      onChange={(e) => toggle(type.event, e.currentTarget.checked)}
                    />
                    <span>
                      <strong>{eventLabel(type.event)}</strong> <code class="event-name">{type.event}</code>
                      <br />
                      <span class="muted">{type.description}</span>
                    </span>
                  </label>
                  <details>
                    <summary>{t('int.example')}</summary>
                    <Code>{JSON.stringify(type.example, null, 2)}</Code>
                  </details>
                </li>
              ))}
            </ul>
          </fieldset>
          <div class="actions">
            <button type="submit" disabled={busy}>
              {busy ? t('common.saving') : editing ? t('int.saveChanges') : t('int.addEndpoint')}
            </button>
            <a class="button secondary" href={href(editing ? `/endpoints/${props.endpointId}` : '/endpoints')}>
              {t('common.cancel')}
            </a>
          </div>
        </form>
      )}
    </section>
  );
}

/** The API names its fields as the JSON does; the page says them as its labels do. */
function plainFields(fields: Record<string, string>): Record<string, string> {
  const out = { ...fields };
  if (out.url) out.url = out.url.replace(/^url\b/, t('int.theAddress'));
  if (out.events) out.events = /at least one/.test(out.events) ? t('int.chooseEvent') : out.events;
  return out;
}
