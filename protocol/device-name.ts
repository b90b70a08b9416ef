/**
 * The rule for a camera's display name, shared by the server (which enforces
 * it) and the viewer's rename form (which says so before sending). Plain
 * functions with no dependencies, so both can import them.
 */

/** Longest camera name, in Unicode code points (what `[...name].length` counts; an emoji is one). */
export const DEVICE_NAME_MAX_CODE_POINTS = 60;

/**
 * A lone UTF-16 surrogate (General_Category Cs: one half of a pair without
 * the other); exactly what `String.prototype.isWellFormed` (ES2024) rejects.
 * Such a string cannot be stored or sent as UTF-8 unchanged.
 */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Why `name` cannot be a camera name, or null when it can. `name` is taken as
 * it will be stored: trim it first.
 * @returns a message to show after the field's label, e.g. "must not be empty".
 */
export function deviceNameProblem(name: string): string | null {
  if (name.length === 0) return 'must not be empty';
  if (LONE_SURROGATE.test(name)) return 'must be well-formed Unicode text (it holds a lone surrogate)';
  if ([...name].length > DEVICE_NAME_MAX_CODE_POINTS) {
    return `must be at most ${DEVICE_NAME_MAX_CODE_POINTS} characters`;
  }
  return null;
}
