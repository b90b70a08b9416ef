/**
 * The text to show for a caught error: its message when it is an `Error`,
 * otherwise `fallback` (anything may be thrown).
 */
export function messageOf(error: unknown, fallback: string): string {
  return error instanceof Error ? error.message : fallback;
}
