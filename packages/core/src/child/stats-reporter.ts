import type { QueueStats } from '../shared/protocol.js';

/** How often queue counters are reported while they change. */
const STATS_INTERVAL_MS = 250;

/**
 * Reports this child's queue counters to the main process every 250 ms, and
 * only when they changed: a quiet worker sends nothing.
 */
export class StatsReporter {
  #collect: () => QueueStats[];
  #send: (stats: QueueStats[]) => void;
  #timer: NodeJS.Timeout | undefined;
  #last = '';

  constructor(collect: () => QueueStats[], send: (stats: QueueStats[]) => void) {
    this.#collect = collect;
    this.#send = send;
  }

  start(): void {
    this.#timer = setInterval(() => this.report(false), STATS_INTERVAL_MS);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Sends the counters if they changed since the last report (or always, with `force`: the final figures). */
  report(force: boolean): void {
    const stats = this.#collect();
    if (stats.length === 0) return;
    const encoded = JSON.stringify(stats);
    if (!force && encoded === this.#last) return;
    this.#last = encoded;
    this.#send(stats);
  }
}
