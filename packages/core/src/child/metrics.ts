import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import { durationStats, roundMetric as round } from '../shared/duration-stats.js';
import type { ChildReport, ProcessUsage, RateCounter } from '../shared/report-types.js';

/** Samples kept for the rates: one per report tick (250 ms), a little over 10 s of them. */
const SAMPLES = 44;
/**
 * At most about this many `work` calls are timed per tick (250 ms): beyond it,
 * one call in 2, 4, 8... (two clock reads and a record cost as much as a tiny
 * `work` call: timing every call of a producer running flat out would cost it
 * ~10% of its throughput).
 */
const TIMED_PER_TICK = 1000;

interface Sample {
  at: number;
  produced: number;
  consumed: number;
  forwarded: number;
  /** CPU time so far (µs). */
  cpu: number;
}

/**
 * What a child counts about its worker. The loop's hot paths only add to
 * plain integer fields; rates, percentiles and resource use are computed
 * here, off those paths, once per report tick (`sample()`, every 250 ms).
 */
export class ChildMetrics {
  produced = 0;
  consumed = 0;
  forwarded = 0;
  workCalls = 0;
  workErrors = 0;
  waits = 0;
  waitedMs = 0;
  /** What the producer declared it will produce in all. */
  total: number | undefined;
  /** Metrics are on (the main process asked): time each `work` call and report resource use. */
  on: boolean;
  /** Nanoseconds per `work` call, while metrics are on. */
  readonly duration: RecordableHistogram = createHistogram();
  /** A call is timed when `workCalls & timingMask` is 0: every call (0) up to one in 1024. */
  timingMask = 0;
  #samples: Sample[] = [];
  #callsAtLastSample = 0;

  constructor(on: boolean, total: number | undefined) {
    this.on = on;
    this.total = total;
  }

  /** Records one `work` call that began at `started` (performance.now()). */
  recordDuration(started: number): void {
    this.duration.record(Math.max(1, Math.round((performance.now() - started) * 1e6)));
  }

  /** Takes this tick's sample (the rates are measured between samples), and sets how many calls to time. */
  sample(): void {
    const calls = this.workCalls - this.#callsAtLastSample;
    this.#callsAtLastSample = this.workCalls;
    let every = 1;
    while (every < 1024 && calls / every > TIMED_PER_TICK) every *= 2;
    this.timingMask = every - 1;
    const cpu = process.cpuUsage();
    this.#samples.push({
      at: performance.now(),
      produced: this.produced,
      consumed: this.consumed,
      forwarded: this.forwarded,
      cpu: cpu.user + cpu.system,
    });
    if (this.#samples.length > SAMPLES) this.#samples.shift();
  }

  report(): ChildReport {
    return {
      produced: this.#rate('produced'),
      consumed: this.#rate('consumed'),
      forwarded: this.#rate('forwarded'),
      workCalls: this.workCalls,
      workErrors: this.workErrors,
      duration: durationStats(this.duration),
      waits: this.waits,
      waitedMs: round(this.waitedMs),
      process: this.on ? this.#usage() : undefined,
      total: this.total,
    };
  }

  #rate(counter: 'produced' | 'consumed' | 'forwarded'): RateCounter {
    return { total: this[counter], rate1s: this.#rateOver(counter, 1000), rate10s: this.#rateOver(counter, 10_000) };
  }

  /** Per second, from the sample about `windowMs` before the latest one to the latest. */
  #rateOver(counter: 'produced' | 'consumed' | 'forwarded' | 'cpu', windowMs: number): number {
    const latest = this.#samples.at(-1);
    if (!latest) return 0;
    const base = this.#baseFor(latest.at - windowMs);
    if (!base || base === latest) return 0;
    return round(((latest[counter] - base[counter]) * 1000) / (latest.at - base.at));
  }

  /** The newest sample at or before `at` (or the oldest there is). */
  #baseFor(at: number): Sample | undefined {
    let base = this.#samples[0];
    for (const sample of this.#samples) {
      if (sample.at > at + 1) break; // a timer tick may come a hair early
      base = sample;
    }
    return base;
  }

  #usage(): ProcessUsage {
    const latest = this.#samples.at(-1);
    return {
      rssBytes: process.memoryUsage.rss(),
      cpuSeconds: latest ? round(latest.cpu / 1e6) : 0,
      // µs of CPU per second of wall time: / 1e6 for a fraction of a core, × 100 for %.
      cpuPercent: round(this.#rateOver('cpu', 1000) / 1e4),
    };
  }
}
