import { readFileSync } from 'node:fs';

/** The version in the repository's package.json (semver). @throws Error when it cannot be read. */
export function packageVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}
