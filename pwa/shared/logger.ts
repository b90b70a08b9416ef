/**
 * The PWA's one logger: every caught error that is not shown to the person
 * goes through it. Levels, lowest first: `debug`, `info`, `warn`, `error`.
 * `warn` and `error` are always written to the console; `debug` and `info`
 * only when debug output is on: the page's URL has a `debug` query parameter
 * (`/viewer?debug`), or localStorage `peerwatch.debug` is `"1"` (a setting
 * that survives reloads: `localStorage.setItem('peerwatch.debug', '1')`).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The localStorage key that turns debug output on when it holds `"1"`. */
export const DEBUG_SETTING_KEY = 'peerwatch.debug';

const PREFIX = '[peerwatch]';

/** Whether `debug` and `info` lines are written: read on each call, so turning it on needs no reload. */
function debugOn(): boolean {
  if (new URLSearchParams(location.search).has('debug')) return true;
  try {
    return localStorage.getItem(DEBUG_SETTING_KEY) === '1';
  } catch (error) {
    // Storage refused (e.g. blocked by the browser's privacy settings): the URL parameter still works.
    console.warn(PREFIX, 'cannot read the debug setting', error);
    return false;
  }
}

function write(level: LogLevel, message: string, details: unknown[]): void {
  if ((level === 'debug' || level === 'info') && !debugOn()) return;
  console[level](PREFIX, message, ...details);
}

/** `log.<level>(message, ...details)`: details (errors, ids) are passed to the console as they are. */
export const log = {
  debug: (message: string, ...details: unknown[]) => write('debug', message, details),
  info: (message: string, ...details: unknown[]) => write('info', message, details),
  warn: (message: string, ...details: unknown[]) => write('warn', message, details),
  error: (message: string, ...details: unknown[]) => write('error', message, details),
};
