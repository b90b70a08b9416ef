const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const clock = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** A moment (ms since the epoch) with date and time of day, in the viewer's locale: "12 Mar 2025, 14:03:27". */
export function formatDateTime(atMs: number): string {
  return dateTime.format(atMs);
}

/** The time of day of a moment (ms since the epoch): "14:03:27". */
export function formatClock(atMs: number): string {
  return clock.format(atMs);
}

/** A duration in ms for people: "42 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(durationMs: number): string {
  const totalS = Math.round(durationMs / 1000);
  const h = Math.floor(totalS / 3600);
  const min = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  if (h > 0) return `${h} h ${String(min).padStart(2, '0')} min`;
  if (min > 0) return `${min} min ${String(s).padStart(2, '0')} s`;
  return `${s} s`;
}
