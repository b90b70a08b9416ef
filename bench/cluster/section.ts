import type { BenchOptions, Section } from '../section.js';
import { measureApiThroughHaproxy } from './api-through-haproxy.js';
import { measureChunkUploadToS3 } from './chunk-upload-s3.js';
import { measureSignalingRelay } from './signaling-relay.js';

/**
 * Several Peerwatch instances on one machine: signaling relay latency
 * across instances against within one (`signaling-relay.ts`), with
 * `--cluster-peers` sockets; API requests/s through haproxy against one
 * instance (`api-through-haproxy.ts`); chunk upload into S3 against local
 * disk (`chunk-upload-s3.ts`).
 */
export const clusterSection: Section = {
  name: 'cluster',
  description:
    'instances on one Redis (--cluster-peers): signaling relay latency across instances vs within one, RSS per peer, errors; ' +
    'API req/s through haproxy vs one instance (--api-seconds); chunk upload MB/s to S3 vs local disk',
  async run(options: BenchOptions) {
    const results = [
      await measureSignalingRelay(options.clusterPeers, options.log),
      await measureApiThroughHaproxy(options.apiSeconds, options.log),
      await measureChunkUploadToS3(options.log),
    ];
    return { figures: results.flatMap((r) => r.figures), notes: results.flatMap((r) => r.notes) };
  },
};
