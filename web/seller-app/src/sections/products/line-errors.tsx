import { t } from '../../i18n';

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
