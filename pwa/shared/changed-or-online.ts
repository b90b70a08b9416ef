/** Something that says when it changes (an `Emitter` with a `change` event). */
interface Changing {
  on(type: 'change', listener: () => void): () => void;
}

/**
 * Resolves when `source` changes, the browser comes back online (the window's
 * `online` event, HTML Living Standard §8.10.2), or `signal` aborts, whichever
 * comes first: what an uploader waits for before it tries its queue again.
 * Every listener it added is removed when it resolves.
 */
export function changedOrOnline(source: Changing, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      offChange();
      window.removeEventListener('online', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const offChange = source.on('change', done);
    window.addEventListener('online', done);
    signal.addEventListener('abort', done);
  });
}
