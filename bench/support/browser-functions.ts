/**
 * Init script for pages that run functions of the bench's own modules
 * (`addInitScript(fn)`, `evaluate(fn)`): tsx compiles with esbuild's
 * `keepNames`, which wraps named inner functions in `__name(fn, "name")`, a
 * helper that exists only in Node. This defines it in the page as the identity.
 */
export function defineNameHelper(): void {
  const scope = globalThis as unknown as { __name?: <T>(target: T) => T };
  scope.__name ??= (target) => target;
}
