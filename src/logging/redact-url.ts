// No imports: the tracing preload uses this before the app (and the modules tracing instruments) is loaded.
const CALLBACK_PATH = /(\/api\/payments\/mpesa\/callback\/)[^/?#]+/;
/** The C2B confirmation/validation token, or a Transaction Status result id. */
const C2B_PATH = /(\/api\/c2b\/(?:status\/)?)[^/?#]+/;

/** A request's path as logged: M-Pesa callback tokens and result ids are credentials and never reach a log line. */
export function redactUrl(url: string): string {
  return url.replace(CALLBACK_PATH, '$1[redacted]').replace(C2B_PATH, '$1[redacted]');
}
