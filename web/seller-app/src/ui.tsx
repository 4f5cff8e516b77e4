import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Page } from './api';
import { type Lang, t } from './i18n';

/** A labelled control with its hint and the API's message for it, tied together for screen readers. */
export function Field(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={`field${props.error ? ' has-error' : ''}`}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="field-error" id={`${props.id}-error`} role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** aria-describedby for a control inside Field. */
export function described(
  id: string,
  hint?: string,
  error?: string,
): { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean } {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return { id, 'aria-describedby': ids || undefined, 'aria-invalid': error ? true : undefined };
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      {t('loading.what', { what })}
    </p>
  );
}

/** English or Kiswahili, on every screen (the sign-in one too); the choice is remembered on the device. */
export function LanguagePicker({ value, onChange }: { value: Lang; onChange: (lang: Lang) => void }) {
  return (
    <div class="lang">
      <label for="lang" class="visually-hidden">
        {t('lang.label')}
      </label>
      <select id="lang" value={value} onChange={(e) => onChange(e.currentTarget.value as Lang)}>
        <option value="en" lang="en">
          English
        </option>
        <option value="sw" lang="sw">
          Kiswahili
        </option>
      </select>
    </div>
  );
}

/** Previous / next for a paged list, with where the seller is. */
export function Pager(props: { page: number; limit: number; total: number; onPage: (page: number) => void }) {
  const pages = Math.max(1, Math.ceil(props.total / props.limit));
  if (pages <= 1) return null;
  return (
    <nav class="pager" aria-label={t('pager.label')}>
      <button type="button" class="secondary" disabled={props.page <= 1} onClick={() => props.onPage(props.page - 1)}>
        {t('pager.previous')}
      </button>
      <span>{t('pager.where', { page: props.page, pages })}</span>
      <button
        type="button"
        class="secondary"
        disabled={props.page >= pages}
        onClick={() => props.onPage(props.page + 1)}
      >
        {t('pager.next')}
      </button>
    </nav>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}

export function Problem({ message }: { message?: string | null }) {
  return message ? (
    <div class="problem" role="alert">
      {message}
    </div>
  ) : null;
}

export function Done({ message }: { message?: string | null }) {
  return message ? (
    <div class="done" role="status">
      {message}
    </div>
  ) : null;
}

/** Copies text to the clipboard and says so. */
export function CopyButton({ text, label }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      window.prompt(t('common.copyThis'), text);
    }
  };
  return (
    <button type="button" class="secondary" onClick={() => void copy()}>
      {copied ? t('common.copied') : (label ?? t('common.copy'))}
    </button>
  );
}

/** A modal question (the native <dialog>: focus kept inside, Escape cancels). */
export function Confirm(props: {
  open: boolean;
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby="confirm-title"
      onCancel={props.onCancel}
      onClose={() => props.open && props.onCancel()}
    >
      <h2 id="confirm-title">{props.title}</h2>
      <div class="dialog-body">{props.children}</div>
      <div class="actions">
        <button type="button" class="secondary" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
        <button type="button" class={props.danger ? 'danger' : ''} disabled={props.busy} onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

export function Badge({ tone, children }: { tone: 'good' | 'bad' | 'warn' | 'muted'; children: ComponentChildren }) {
  return <span class={`badge ${tone}`}>{children}</span>;
}

export function Code({ children }: { children: string }) {
  return (
    <pre class="code">
      <code>{children}</code>
    </pre>
  );
}

/** The search field above a list (its own form, so Enter never submits anything else). */
export function SearchBox(props: {
  id: string;
  label: string;
  hint: string;
  value: string;
  onInput: (value: string) => void;
  children?: ComponentChildren;
}) {
  return (
    <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
      <div class="field">
        <label for={props.id}>{props.label}</label>
        <input
          id={props.id}
          type="search"
          value={props.value}
          placeholder={props.hint}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
      </div>
      {props.children}
    </form>
  );
}

/** A list's states before its rows: the API's refusal, loading, or the words for an empty list. */
export function ListState(props: {
  loaded: boolean;
  count: number;
  problem: string | null;
  what: string;
  empty: string;
}) {
  if (props.problem) return <Problem message={props.problem} />;
  if (!props.loaded) return <Loading what={props.what} />;
  return props.count === 0 ? (
    <Empty>
      <p>{props.empty}</p>
    </Empty>
  ) : null;
}

/** One choice of several as a row of toggle buttons (a list's filter): pressed is the current one. */
export function Chips<T extends string>(props: {
  label: string;
  value: T;
  options: readonly T[];
  word: (option: T) => string;
  onChange: (option: T) => void;
}) {
  return (
    <div class="chips" role="group" aria-label={props.label}>
      {props.options.map((o) => (
        <button
          key={o || 'all'}
          type="button"
          class="chip"
          aria-pressed={props.value === o}
          onClick={() => props.onChange(o)}
        >
          {props.word(o)}
        </button>
      ))}
    </div>
  );
}

/** A paged list's rows (one `li.row` each, drawn by `row`), its states before them, and its pager. */
export function PagedRows<T extends { id: string }>(props: {
  page: Page<T> | null;
  problem: string | null;
  what: string;
  empty: string;
  label?: string;
  rowClass?: (item: T) => string;
  row: (item: T) => ComponentChildren;
  onPage: (page: number) => void;
}) {
  const { page } = props;
  return (
    <>
      <ListState
        loaded={page !== null}
        count={page?.data.length ?? 0}
        problem={props.problem}
        what={props.what}
        empty={props.empty}
      />
      {page && page.data.length > 0 && (
        <ul class="rows" aria-label={props.label}>
          {page.data.map((item) => (
            <li key={item.id} class={props.rowClass?.(item) ?? 'row'}>
              {props.row(item)}
            </li>
          ))}
        </ul>
      )}
      {page && <Pager page={page.page} limit={page.limit} total={page.total} onPage={props.onPage} />}
    </>
  );
}
