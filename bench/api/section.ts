import autocannon from 'autocannon';
import type { Device } from '../../protocol/index.js';
import { pairCamera } from '../../tests/support/recording-client.js';
import { TestServer } from '../../tests/support/server.js';
import { figureMaker, type SectionResult } from '../report.js';
import type { BenchOptions, Section } from '../section.js';

/** Concurrent connections of the load (issue 5 §4). */
const CONNECTIONS = 100;
/** Cameras in the household listed. */
const CAMERAS = 3;

/**
 * API under load (issue 5 §4): `GET /api/devices` with a Bearer token, for a
 * household with a few cameras, from 100 concurrent connections (autocannon);
 * requests/s, latency, and every answer that is not a 2xx.
 */
export const apiSection: Section = {
  name: 'api',
  description: `GET /api/devices, ${CONNECTIONS} connections for --api-seconds: requests/s, latency p50/p99, non-2xx and errors`,
  async run(options: BenchOptions): Promise<SectionResult> {
    const server = await TestServer.start();
    try {
      const session = await server.register();
      for (let i = 0; i < CAMERAS; i++) await pairCamera(server, session.accessToken, `Bench camera ${i + 1}`);
      const authorization = `Bearer ${session.accessToken}`;
      const url = `http://127.0.0.1:${server.port}/api/devices`;
      const check = await fetch(url, { headers: { authorization } });
      const devices = (await check.json()) as Device[];
      if (check.status !== 200 || devices.length !== CAMERAS) {
        throw new Error(`GET /api/devices answered ${check.status} with ${devices.length} devices before the load`);
      }
      options.log(`api: ${CONNECTIONS} connections for ${options.apiSeconds} s`);
      const result = await autocannon({ url, connections: CONNECTIONS, duration: options.apiSeconds, headers: { authorization } });
      const figure = figureMaker('api', (name) => `GET /api/devices, ${CONNECTIONS} connections: ${name}`);
      return {
        figures: [
          figure('requests per second (mean)', result.requests.average, 'req/s'),
          figure('latency p50', result.latency.p50, 'ms'),
          figure('latency p99', result.latency.p99, 'ms'),
          figure('requests completed', result.requests.total, 'count'),
          figure('non-2xx answers', result.non2xx, 'count', 0),
          figure('errors (connection errors and timeouts)', result.errors, 'count', 0),
        ],
        notes: [`API load: autocannon ${options.apiSeconds} s in the benchmark process on the same cores as the server.`],
      };
    } finally {
      await server.stop();
    }
  },
};
