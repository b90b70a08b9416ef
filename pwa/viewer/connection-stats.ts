/**
 * How a live call is connected, from its RTCPeerConnection's `getStats()`
 * (W3C webrtc-stats: `transport`, `candidate-pair`, `local-candidate`,
 * `remote-candidate`, `inbound-rtp`).
 */
export interface ConnectionStats {
  /** `relayed` when either end of the selected candidate pair is a TURN relay candidate; null before a pair is selected. */
  path: 'direct' | 'relayed' | null;
  /** Size of the decoded video, px; null before the first frame. */
  widthPx: number | null;
  heightPx: number | null;
  /** Decoded video frames per second; null when not known yet. */
  fps: number | null;
  /** Media received (all inbound RTP streams), kbit/s, from the `bytesReceived` delta since `previous`; null on the first sample. */
  bitrateKbps: number | null;
  /** Round-trip time of the selected candidate pair (`currentRoundTripTime`), ms; null when not measured yet. */
  roundTripMs: number | null;
  /** Inbound RTP bytes so far and when the stats were taken (ms, stats clock), for the next sample's bitrate. */
  bytesReceived: number;
  timestampMs: number;
}

/** One stats object (`RTCStats` and its subtypes) as plain fields. */
export type StatsEntry = { id: string; type: string; timestamp: number } & Record<string, unknown>;

/**
 * Reads a connection's stats (pure).
 * @param entries the values of an `RTCStatsReport`.
 * @param previous the sample before, for the bitrate; null on the first.
 */
export function connectionStatsFrom(entries: Iterable<StatsEntry>, previous: ConnectionStats | null): ConnectionStats {
  const byId = new Map<string, StatsEntry>();
  for (const entry of entries) byId.set(entry.id, entry);
  const all = [...byId.values()];
  const transport = all.find((entry) => entry.type === 'transport' && entry.selectedCandidatePairId);
  const pair =
    byId.get(String(transport?.selectedCandidatePairId)) ??
    all.find((entry) => entry.type === 'candidate-pair' && entry.nominated === true && entry.state === 'succeeded');
  const localType = byId.get(String(pair?.localCandidateId))?.candidateType;
  const remoteType = byId.get(String(pair?.remoteCandidateId))?.candidateType;
  const inbound = all.filter((entry) => entry.type === 'inbound-rtp');
  const video = inbound.find((entry) => entry.kind === 'video');
  const bytesReceived = inbound.reduce((sum, entry) => sum + numberOr(entry.bytesReceived, 0), 0);
  const timestampMs = Math.max(0, ...all.map((entry) => entry.timestamp));
  const elapsedMs = previous ? timestampMs - previous.timestampMs : 0;
  const rttS = numberOr(pair?.currentRoundTripTime, null);
  return {
    path: localType === undefined || remoteType === undefined ? null : localType === 'relay' || remoteType === 'relay' ? 'relayed' : 'direct',
    widthPx: numberOr(video?.frameWidth, null),
    heightPx: numberOr(video?.frameHeight, null),
    fps: numberOr(video?.framesPerSecond, null),
    bitrateKbps:
      previous && elapsedMs > 0 && bytesReceived >= previous.bytesReceived
        ? ((bytesReceived - previous.bytesReceived) * 8) / elapsedMs
        : null,
    roundTripMs: rttS === null ? null : rttS * 1_000,
    bytesReceived,
    timestampMs,
  };
}

function numberOr<T>(value: unknown, fallback: T): number | T {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** The parts of a stats row a person reads, e.g. `["640×480", "10 fps", "812 kbit/s", "3 ms round trip"]`; unknown ones left out. */
export function statsParts(stats: ConnectionStats): string[] {
  const parts: string[] = [];
  if (stats.widthPx !== null && stats.heightPx !== null) parts.push(`${stats.widthPx}×${stats.heightPx}`);
  if (stats.fps !== null) parts.push(`${Math.round(stats.fps)} fps`);
  if (stats.bitrateKbps !== null) parts.push(`${Math.round(stats.bitrateKbps)} kbit/s`);
  if (stats.roundTripMs !== null) parts.push(`${Math.round(stats.roundTripMs)} ms round trip`);
  return parts;
}
