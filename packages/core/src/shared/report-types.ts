/*
 * What a child reports on the stats path (ChildReport, HostReport), and the
 * parts it shares with the snapshots of metrics-types.ts. Plain data (JSON-safe).
 */

/** A distribution of durations, in milliseconds (from `perf_hooks.createHistogram`). */
export interface DurationStats {
  /** How many were recorded. */
  count: number;
  /** Their sum (ms): with `count`, the mean over any interval between two snapshots. */
  sum: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** A count that only grows, with its rate (per second) over the last 1 s and the last 10 s. */
export interface RateCounter {
  total: number;
  rate1s: number;
  rate10s: number;
}

/** A child process's resource use. */
export interface ProcessUsage {
  /** Resident set size (bytes). */
  rssBytes: number;
  /** CPU time used by the process so far (user + system, seconds). */
  cpuSeconds: number;
  /** CPU use over the last second, in % of one core. */
  cpuPercent: number;
}

/** What a child reports on the stats path about its worker (counters are this run's). */
export interface ChildReport {
  produced: RateCounter;
  consumed: RateCounter;
  forwarded: RateCounter;
  workCalls: number;
  workErrors: number;
  duration: DurationStats | undefined;
  waits: number;
  waitedMs: number;
  process: ProcessUsage | undefined;
  total: number | undefined;
}

/** What a host reports about its queue, beside size and drops. */
export interface HostReport {
  received: number;
  taken: number;
  latency: DurationStats | undefined;
}
