/** What the playlist needs of a stored chunk. */
export interface PlaylistChunk {
  seq: number;
  durationMs: number;
}

/** The recording as the playlist builder sees it. */
export interface PlaylistSource {
  /** The stored chunks, in any order; seq 0 is the init segment. */
  chunks: readonly PlaylistChunk[];
  /** Seq of the chunk the camera marked last, or null while unknown. */
  finalSeq: number | null;
  /** True once the camera finished the recording (final chunk, or a newer recording began). */
  closed: boolean;
}

/**
 * The chunks a player can use: seq 0, 1, 2, … up to the first seq not stored
 * (later chunks wait until the gap is filled). Empty without the init segment.
 */
export function playableChunks<T extends PlaylistChunk>(chunks: readonly T[]): T[] {
  const bySeq = new Map(chunks.map((c) => [c.seq, c]));
  const run: T[] = [];
  for (let seq = 0; bySeq.has(seq); seq++) run.push(bySeq.get(seq)!);
  return run;
}

/**
 * True when the playlist is final (VOD + EXT-X-ENDLIST): the recording is
 * closed and, if a final chunk is known, every chunk up to it is playable.
 */
export function playlistEnded(source: PlaylistSource): boolean {
  if (!source.closed) return false;
  if (source.finalSeq === null) return true;
  return playableChunks(source.chunks).length === source.finalSeq + 1;
}

/**
 * Builds the HLS media playlist of a recording (RFC 8216): version 7, the
 * init segment (seq 0) as `EXT-X-MAP` (§4.3.2.5), then `#EXTINF:<s>,` +
 * `segments/<seq>.m4s` for seq 1, 2, … in order, stopping at the first gap.
 * `EXT-X-TARGETDURATION` is the largest segment duration rounded up to whole
 * seconds (§4.3.3.1; at least 1). `EXT-X-PLAYLIST-TYPE` is `EVENT` while the
 * recording may grow (players reload it, §6.2.1) and `VOD` with
 * `EXT-X-ENDLIST` once it has ended (§4.3.3.5).
 *
 * @param query appended to every URI (e.g. `?token=…`), or '' for none.
 * @returns the playlist text, lines ending in `\n`.
 */
export function buildMediaPlaylist(source: PlaylistSource, query = ''): string {
  const [init, ...segments] = playableChunks(source.chunks);
  const ended = playlistEnded(source);
  const maxDurationMs = Math.max(0, ...segments.map((s) => s.durationMs));
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:7',
    `#EXT-X-TARGETDURATION:${Math.max(1, Math.ceil(maxDurationMs / 1000))}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    `#EXT-X-PLAYLIST-TYPE:${ended ? 'VOD' : 'EVENT'}`,
  ];
  if (init) lines.push(`#EXT-X-MAP:URI="init.mp4${query}"`);
  for (const segment of segments) {
    lines.push(`#EXTINF:${(segment.durationMs / 1000).toFixed(3)},`, `segments/${segment.seq}.m4s${query}`);
  }
  if (ended) lines.push('#EXT-X-ENDLIST');
  return lines.join('\n') + '\n';
}
