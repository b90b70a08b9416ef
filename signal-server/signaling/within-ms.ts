/**
 * Resolves or rejects as `work` does, or rejects once `waitMs` have passed
 * first (`work` goes on, its outcome is then ignored). For calls to a service
 * on the network that must not hold a signaling socket up for long.
 * @throws Error `<what> took longer than <waitMs> ms`
 */
export async function withinMs<T>(work: Promise<T>, waitMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${waitMs} ms`)), waitMs);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
