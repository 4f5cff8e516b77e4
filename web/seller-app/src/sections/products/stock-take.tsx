import { useState } from 'preact/hooks';
import { api, ApiError, errorText, type Session } from '../../api';
import type { StockTakeResult } from '../../api-types';
import { t } from '../../i18n';
import { href } from '../../router';
import { Done, Problem } from '../../ui';
import { csvRecords } from './csv-records';
import { CsvUploadForm, type LineError, LineErrors } from './csv-upload';

/**
 * A stock take in three steps: download the stock list, write the counts in its stock column, upload it. The API
 * checks every line before it changes anything, so a refused file is listed by the lines the seller sees.
 */
export function StockTake({ session }: { session: Session }) {
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<StockTakeResult | null>(null);
  const [errors, setErrors] = useState<LineError[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const canWrite = session.user.role !== 'VIEWER';

  const run = async () => {
    if (!file) return;
    setProblem(null);
    setErrors([]);
    setResult(null);
    setBusy(true);
    const text = await file.text();
    try {
      setResult(await api<StockTakeResult>('POST', '/api/products/stock-take', { raw: text, type: 'text/csv' }));
    } catch (err) {
      setProblem(errorText(err));
      if (err instanceof ApiError) setErrors(byLine(text, err.problems));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p class="crumbs">
        <a href={href('/products')}>{t('nav.products')}</a> › {t('stockTake.title')}
      </p>
      <h1 tabIndex={-1}>{t('stockTake.title')}</h1>
      <ol class="steps">
        <li>
          <a class="download-link" href="/api/products/export" download>
            {t('stockTake.download')}
          </a>
        </li>
        <li>{t('stockTake.edit')}</li>
        <li>{t('stockTake.upload')}</li>
      </ol>
      <CsvUploadForm
        id="counted"
        label={t('stockTake.file')}
        hint={t('stockTake.hint')}
        action={t('stockTake.start')}
        busyAction={t('stockTake.busy')}
        readOnly={t('stockTake.readOnly')}
        canWrite={canWrite}
        busy={busy}
        file={file}
        onFile={setFile}
        onSubmit={() => void run()}
      />
      <Problem message={problem} />
      <LineErrors id="stock-errors-title" errors={errors} />
      {result && (
        <>
          <Done
            message={t('stockTake.done', {
              updated: result.updated,
              unchanged: result.unchanged,
              skipped: result.skipped,
            })}
          />
          {result.changes.length > 0 && (
            <section aria-labelledby="stock-changes-title" class="card">
              <h2 id="stock-changes-title">{t('stockTake.changes')}</h2>
              <ul class="import-errors">
                {result.changes.map((c) => (
                  <li key={c.variantId ?? c.productId}>
                    <a href={href(`/products/${c.productId}`)}>{c.name}</a>: {c.from} → {c.to}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </>
  );
}

/** The API names rows (1 = the first after the header); the seller's spreadsheet shows file lines. */
function byLine(text: string, problems: { message: string; row?: number }[]): LineError[] {
  const { records } = csvRecords(text);
  const lines = new Map<number, string[]>();
  for (const p of problems) {
    if (p.row === undefined) continue;
    const line = records[p.row - 1]?.line ?? p.row + 1;
    lines.set(line, [...(lines.get(line) ?? []), p.message]);
  }
  return [...lines].map(([line, messages]) => ({ line, messages }));
}
