import { readFileSync, writeFileSync } from 'node:fs';

/**
 * The trimmed text of `file`, or, when there is none yet, `create()` written
 * there (mode 0600, only if the file still does not exist) and returned. Two
 * processes starting at once over one folder both end up with the text that
 * was written first.
 * @throws Error (from node:fs) when the file cannot be read or written, other than not existing yet.
 */
export function readOrCreateDataFile(file: string, create: () => string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const text = create();
  try {
    writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
    return text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(file, 'utf8').trim();
  }
}
