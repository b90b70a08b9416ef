import type { RecordingPlayback } from '../../../protocol/index.js';
import type { ApiClient } from '../../api/api-client.js';

/** Ask for a new playback token this long before the current one expires, ms. */
const RENEW_BEFORE_MS = 60_000;

/**
 * A recording's playlist URL (`GET /api/recordings/:id/playback`) with its
 * short-lived `token` query parameter, renewed shortly before it expires.
 * Players that reload the playlist and fetch segments for a long time
 * (an EVENT playlist that grows) rewrite each request with `sign()`.
 */
export class PlaybackLink {
  private playback: RecordingPlayback | null = null;
  private renewing: Promise<RecordingPlayback> | null = null;

  constructor(
    private readonly api: ApiClient,
    readonly recordingId: string,
  ) {}

  /** The playlist URL with a token valid for at least `RENEW_BEFORE_MS`. @throws ApiRequestError */
  async playlistUrl(): Promise<string> {
    return (await this.current()).playlistUrl;
  }

  /** The URL of the recording as one MP4 file to save, with a fresh token. @throws ApiRequestError */
  async downloadUrl(): Promise<string> {
    return (await this.current()).downloadUrl;
  }

  /** `url` (the playlist or a URI in it) with the current token in place of the one it carries. */
  async sign(url: string): Promise<string> {
    const token = new URL((await this.current()).playlistUrl).searchParams.get('token');
    const signed = new URL(url);
    if (token && signed.searchParams.has('token')) signed.searchParams.set('token', token);
    return signed.href;
  }

  private current(): Promise<RecordingPlayback> {
    const playback = this.playback;
    if (playback && playback.expiresAtMs - Date.now() > RENEW_BEFORE_MS) return Promise.resolve(playback);
    this.renewing ??= this.api
      .recordingPlayback(this.recordingId)
      .then((fresh) => (this.playback = fresh))
      .finally(() => (this.renewing = null));
    return this.renewing;
  }
}
