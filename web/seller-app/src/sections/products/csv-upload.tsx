import { t } from '../../i18n';
import { described, Field } from '../../ui';

/** A CSV file picked and sent (the import, the stock take), or a note for a VIEWER, who may not. */
export function CsvUploadForm(props: {
  id: string;
  label: string;
  hint: string;
  action: string;
  busyAction: string;
  readOnly: string;
  canWrite: boolean;
  busy: boolean;
  file: File | null;
  onFile: (file: File | null) => void;
  onSubmit: () => void;
}) {
  if (!props.canWrite) return <p class="readonly-note">{props.readOnly}</p>;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
      noValidate
    >
      <Field id={props.id} label={props.label} hint={props.hint}>
        <input
          {...described(props.id, props.hint)}
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => props.onFile(e.currentTarget.files?.[0] ?? null)}
        />
      </Field>
      <button type="submit" disabled={!props.file || props.busy}>
        {props.busy ? props.busyAction : props.action}
      </button>
    </form>
  );
}

/** Problems the API found in an uploaded CSV, by the line of the file the seller sees (the header is line 1). */
export interface LineError {
  line: number;
  messages: string[];
}

export function LineErrors({ id, errors }: { id: string; errors: LineError[] }) {
  if (!errors.length) return null;
  return (
    <section aria-labelledby={id} class="card">
      <h2 id={id}>{t('import.errors', { n: errors.length })}</h2>
      <ul class="import-errors">
        {errors.map((e) => (
          <li key={e.line}>
            <strong>{t('import.line', { line: e.line })}</strong>: {e.messages.join('; ')}
          </li>
        ))}
      </ul>
    </section>
  );
}
