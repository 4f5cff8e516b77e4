import { useState } from 'preact/hooks';
import { api, errorText, type Session } from '../../api';
import type { BulkResult } from '../../api-types';
import { t } from '../../i18n';
import { href } from '../../router';
import { Done, Problem } from '../../ui';
import { csvRecords } from './csv-records';
import { CsvUploadForm, type LineError, LineErrors } from './csv-upload';

/** Rows per request: small enough that the bar moves on a slow phone, big enough that 1,000 rows are 40 requests. */
export const ROWS_PER_REQUEST = 25;

/**
 * Bulk import from a CSV file: sent in slices of ROWS_PER_REQUEST with `partial=true`, so the bar shows real
 * progress and every good row is added; each bad row is listed by its line in the file, with the API's words.
 */
export function ProductImport({ session }: { session: Session }) {
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [created, setCreated] = useState(0);
  const [errors, setErrors] = useState<LineError[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [finished, setFinished] = useState(false);
  const canWrite = session.user.role !== 'VIEWER';

  const run = async () => {
    if (!file) return;
    setProblem(null);
    setErrors([]);
    setCreated(0);
    setFinished(false);
    const { header, records } = csvRecords(await file.text());
    if (records.length === 0) {
      setProblem(t('import.empty'));
      return;
    }
    setProgress({ done: 0, total: records.length });
    const found: LineError[] = [];
    let added = 0;
    for (let i = 0; i < records.length; i += ROWS_PER_REQUEST) {
      const slice = records.slice(i, i + ROWS_PER_REQUEST);
      try {
        const result = await api<BulkResult>('POST', '/api/products/bulk?partial=true', {
          raw: [header, ...slice.map((r) => r.text)].join('\n'),
          type: 'text/csv',
        });
        added += result.created;
        for (const err of result.errors) {
          const line = slice[err.row - 1]?.line ?? 0;
          const entry = found.find((f) => f.line === line);
          if (entry) entry.messages.push(err.message);
          else found.push({ line, messages: [err.message] });
        }
      } catch (err) {
        // The whole slice was refused (a header the API does not know, the session ended): stop and say so.
        setProblem(t('import.stopped', { line: slice[0].line, message: errorText(err) }));
        break;
      }
      setCreated(added);
      setErrors([...found]);
      setProgress({ done: Math.min(records.length, i + slice.length), total: records.length });
    }
    setFinished(true);
  };

  const busy = progress !== null && progress.done < progress.total && !finished;
  return (
    <>
      <p class="crumbs">
        <a href={href('/products')}>{t('nav.products')}</a> › {t('import.title')}
      </p>
      <h1 tabIndex={-1}>{t('import.title')}</h1>
      <p class="lead">{t('import.lead')}</p>
      <pre class="code">
        <code>name,priceKes,stock,category{'\n'}Kikoi,1200,10,Textiles</code>
      </pre>
      <CsvUploadForm
        id="csv"
        label={t('import.file')}
        hint={t('import.hint')}
        action={t('import.start')}
        busyAction={t('import.busy')}
        readOnly={t('import.readOnly')}
        canWrite={canWrite}
        busy={busy}
        file={file}
        onFile={setFile}
        onSubmit={() => void run()}
      />
      {progress && (
        <div class="import-progress">
          <label for="import-bar">{t('import.progress', { done: progress.done, total: progress.total })}</label>
          <progress id="import-bar" max={progress.total} value={progress.done} />
        </div>
      )}
      <Problem message={problem} />
      {finished && (
        <Done
          message={t('import.finished', {
            created,
            failed: errors.length,
          })}
        />
      )}
      <LineErrors id="import-errors-title" errors={errors} />
    </>
  );
}
