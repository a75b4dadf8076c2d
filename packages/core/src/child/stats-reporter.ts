/** How often counters are sampled, and reported when they changed. */
const STATS_INTERVAL_MS = 250;

/**
 * Reports this child's counters (its queues', its worker's) to the main
 * process every 250 ms, and only when they changed: a quiet worker sends
 * nothing. Each tick first calls `sample` (rates are measured between ticks).
 */
export class StatsReporter<T> {
  #collect: () => T;
  #send: (report: T) => void;
  #sample: () => void;
  #timer: NodeJS.Timeout | undefined;
  #last = '';

  constructor(collect: () => T, send: (report: T) => void, sample: () => void = () => {}) {
    this.#collect = collect;
    this.#send = send;
    this.#sample = sample;
  }

  start(): void {
    this.#sample();
    this.#timer = setInterval(() => {
      this.#sample();
      this.report(false);
    }, STATS_INTERVAL_MS);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Sends the counters if they changed since the last report (or always, with `force`: the final figures). */
  report(force: boolean): void {
    const report = this.#collect();
    const encoded = JSON.stringify(report);
    if (!force && encoded === this.#last) return;
    this.#last = encoded;
    this.#send(report);
  }
}
