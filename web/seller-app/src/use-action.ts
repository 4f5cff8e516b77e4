import { useState } from 'preact/hooks';
import { ApiError, errorText } from './api';

/**
 * One change sent to the API, as every form shows it: busy while it runs, the API's message (and its per-field
 * messages under the fields) when refused, a line saying it worked when it did.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  /** Runs `work`; `success` turns its answer into the line to show. Resolves whether it worked. */
  const run = async <T>(work: () => Promise<T>, success?: (result: T) => string | null | void): Promise<boolean> => {
    setBusy(true);
    setProblem(null);
    setFields({});
    setDone(null);
    try {
      const result = await work();
      setDone(success?.(result) ?? null);
      return true;
    } catch (err) {
      if (err instanceof ApiError) setFields(err.fields);
      setProblem(errorText(err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, fields, done, run, setProblem };
}
