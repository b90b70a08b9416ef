import type { SectionResult } from './report.js';

/** Sizes and counts a run uses; the defaults fit in a few minutes on 2 cores. */
export interface BenchOptions {
  /** Numbers of signaling sockets to open, one run per number. */
  peers: number[];
  /** Trials of each presence case, and calls for time to first frame. */
  trials: number;
  /** Duration of the API load, s. */
  apiSeconds: number;
  /** Signaling sockets spread over the instances of the cluster section. */
  clusterPeers: number;
  /** Progress output (to stderr, so stdout stays the report). */
  log: (message: string) => void;
}

/** A benchmark section: measures one thing, never fails on a timing. */
export interface Section {
  name: string;
  /** One line for `--help`. */
  description: string;
  run(options: BenchOptions): Promise<SectionResult>;
}
