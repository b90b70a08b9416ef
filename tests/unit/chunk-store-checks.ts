import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ChunkTooLargeError, type ChunkStore } from '../../signal-server/recordings/chunk-store.js';

/** `bytes` as a request body arrives: pieces of `size` bytes. */
export async function* pieces(bytes: Buffer, size = 1000): AsyncIterable<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/**
 * The checks every `ChunkStore` passes the same way: a discarded chunk and a
 * body over the limit (1 000 bytes, stopped at the first piece past it) leave
 * nothing, as `stored()` (what the store's medium holds for `recordingId`) then shows.
 */
export async function expectDiscardAndLimitLeaveNothing(
  store: ChunkStore,
  recordingId: string,
  stored: () => Promise<string[]> | string[],
): Promise<void> {
  await (await store.stage(recordingId, 1, pieces(randomBytes(100)), 1000)).discard();
  let piecesRead = 0;
  async function* endless(): AsyncIterable<Uint8Array> {
    for (;;) {
      piecesRead++;
      yield randomBytes(400);
    }
  }
  await assert.rejects(store.stage(recordingId, 2, endless(), 1000), ChunkTooLargeError);
  assert.equal(piecesRead, 3, 'reading stops at the first piece past the limit');
  assert.deepEqual(await stored(), []);
}
