import { messageOf } from './error-message.js';

/** Something a view reads from the server: still loading, loaded (`value`), or failed with a message a person understands. */
export type Loadable<T> = { kind: 'loading' } | { kind: 'loaded'; value: T } | { kind: 'failed'; message: string };

/** The `Loadable` of `read()`: loaded with what it resolved to, or failed with its error's message (`failText` when it has none). */
export async function loadOrFail<T>(read: () => Promise<T>, failText: string): Promise<Loadable<T>> {
  try {
    return { kind: 'loaded', value: await read() };
  } catch (error) {
    return { kind: 'failed', message: messageOf(error, failText) };
  }
}
