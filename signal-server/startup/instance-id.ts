import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { readOrCreateDataFile } from './data-file.js';

/** File in DATA_DIR that keeps the server's instance id. */
export const INSTANCE_ID_FILE = 'instance-id';

/**
 * This server's instance id: 128 random bits (base64url, 22 characters),
 * generated on first start into `DATA_DIR/instance-id` and the same on every
 * start after, whatever address the server is reached by. Pairing links carry
 * it (`/pair?server=<id>#<token>`) so a camera can tell whether a code was
 * made by the server it is talking to. Not a secret: every QR code shows it.
 * @throws Error (from node:fs) when the file cannot be read or written.
 */
export function loadInstanceId(dataDir: string): string {
  return readOrCreateDataFile(path.join(dataDir, INSTANCE_ID_FILE), () => randomBytes(16).toString('base64url'));
}
