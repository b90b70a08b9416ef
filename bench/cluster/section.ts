import type { BenchOptions, Section } from '../section.js';
import { measureSignalingRelay } from './signaling-relay.js';

/**
 * Several Peerwatch instances on one machine: signaling relay latency
 * across instances against within one (`signaling-relay.ts`), with
 * `--cluster-peers` sockets.
 */
export const clusterSection: Section = {
  name: 'cluster',
  description: 'instances on one Redis (--cluster-peers): signaling relay latency across instances vs within one, RSS per peer, errors',
  run: (options: BenchOptions) => measureSignalingRelay(options.clusterPeers, options.log),
};
