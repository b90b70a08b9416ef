/** Camera clocks this close to the server's are taken as they are, ms (network delay and NTP noise). */
export const CLOCK_TOLERANCE_MS = 5_000;

/**
 * A time a camera stated on its own clock, moved onto the server's clock.
 * The camera sends its clock with each upload (`X-Camera-Clock-Ms`, read just
 * before sending); the difference to the server's clock on arrival is the
 * camera's clock error plus the network delay. Beyond `CLOCK_TOLERANCE_MS`
 * the camera's clock is wrong (an old phone set to another year, a clock
 * that was never set) and `cameraTimeMs` is shifted by that difference, so
 * retention, lists and file names use real times and footage is never
 * dropped as "expired" because of a wrong clock. Footage recorded offline and
 * sent later is shifted by the offset at upload, which holds as long as the
 * camera's clock was not changed in between.
 * @param cameraTimeMs the time to convert, camera clock, ms since the epoch
 * @param cameraClockMs the camera's clock when it sent the request, or undefined when not sent
 * @param serverNowMs the server's clock when the request arrived
 * @returns the time on the server's clock, ms since the epoch (never negative)
 */
export function toServerTime(cameraTimeMs: number, cameraClockMs: number | undefined, serverNowMs: number): number {
  if (cameraClockMs === undefined) return cameraTimeMs;
  const offsetMs = serverNowMs - cameraClockMs;
  return Math.abs(offsetMs) <= CLOCK_TOLERANCE_MS ? cameraTimeMs : Math.max(0, cameraTimeMs + offsetMs);
}
