const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "just now", "5 minutes ago", "yesterday", … for a past time in ms since the epoch. */
export function timeAgo(atMs: number, nowMs: number = Date.now()): string {
  const elapsedMs = Math.max(0, nowMs - atMs);
  for (const [unit, unitMs] of UNITS) {
    if (elapsedMs >= unitMs) return format.format(-Math.floor(elapsedMs / unitMs), unit);
  }
  return 'just now';
}
