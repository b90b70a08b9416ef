/**
 * What a camera keeps in IndexedDB about its recordings until the server has
 * them (stores `recordings` and `chunks` of the `peerwatch` database, see
 * `db.ts`), and the recording wish it follows (store `settings`).
 */

/** A recording this camera made whose chunks are not all on the server yet. */
export interface LocalRecording {
  /** 128 random bits, base64url (the server's recording id). */
  id: string;
  /** When the recorder started, camera clock, ms since the epoch. */
  startedAtMs: number;
  /** MediaRecorder's MIME type, e.g. `video/mp4;codecs=avc1`. */
  mimeType: string;
  /** Seq the next chunk of this recording gets (0 is the init segment). */
  nextSeq: number;
  /** True once no more chunks will come: its recorder stopped, or the page that ran it is gone. */
  ended: boolean;
  /**
   * Seq of the recording's last chunk once known (its recorder's last chunk, or
   * the newest one still queued when the recording ended without one); sent
   * as `X-Recording-Final: 1`. Absent in records of older pages: null.
   */
  finalSeq?: number | null;
  /** Why the server refused this recording in a way retrying cannot fix (a bug to report), or null. */
  uploadProblem: string | null;
}

/** One MediaRecorder chunk waiting for upload; key `[recordingId, seq]`. */
export interface LocalChunk {
  recordingId: string;
  /** 0 for the init segment (ftyp+moov), then 1, 2, … (each one or more moof+mdat fragments). */
  seq: number;
  bytes: ArrayBuffer;
  sizeBytes: number;
  /** SHA-256 of `bytes`, lowercase hex. */
  sha256: string;
  /** Start of the chunk's media, camera clock, ms since the epoch. */
  startMs: number;
  /** Duration of the chunk's media, ms (0 for the init segment). */
  durationMs: number;
  /** True on the recording's last chunk when the recorder said so (see also `LocalRecording.finalSeq`). */
  final: boolean;
}

/** The household's wish for this camera ("Record" switch) as the camera last knew it. */
export interface RecordingWish {
  enabled: boolean;
  /** True when the switch on this camera changed it and the server has not been told yet. */
  unsynced: boolean;
  changedAtMs: number;
}

/** A recording's poster frame cached by the viewer (JPEG). */
export interface CachedPoster {
  recordingId: string;
  image: Blob;
  cachedAtMs: number;
}
