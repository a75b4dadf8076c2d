import type { WorkerError } from '../shared/errors.js';
import type { LastError, RateCounter, WorkerMetrics } from '../shared/metrics-types.js';
import type { ChildReport } from '../shared/report-types.js';

/** What a worker's snapshot takes from the worker itself. */
export type WorkerFacts = Pick<WorkerMetrics, 'name' | 'kind' | 'className' | 'state' | 'status' | 'pid' | 'queue' | 'subscribers'>;

type Totals = Pick<ChildReport, 'workCalls' | 'workErrors' | 'waits' | 'waitedMs'> & { produced: number; consumed: number; forwarded: number };

function zeroTotals(): Totals {
  return { produced: 0, consumed: 0, forwarded: 0, workCalls: 0, workErrors: 0, waits: 0, waitedMs: 0 };
}

/**
 * A worker's metrics across its runs, in the main process: the latest report
 * of the running child (the stats path), the totals of the runs that ended,
 * the last error. Counters add up over every run; durations, resource use and
 * rates are the current (or last) run's.
 */
export class WorkerMetricsRecord {
  #runs = 0;
  #launchedAt = 0;
  #running = false;
  #current: ChildReport | undefined;
  #retired = zeroTotals();
  #lastError: LastError | undefined;

  /** A child is launching. */
  launched(): void {
    this.#runs++;
    this.#launchedAt = performance.now();
    this.#running = true;
    this.#current = undefined;
  }

  /** The child's latest report. */
  reported(report: ChildReport): void {
    this.#current = report;
  }

  /** The run ended: its final figures join the totals (its durations stay until the next run reports). */
  ended(): void {
    if (!this.#running) return;
    this.#running = false;
    const report = this.#current;
    if (!report) return;
    const retired = this.#retired;
    retired.produced += report.produced.total;
    retired.consumed += report.consumed.total;
    retired.forwarded += report.forwarded.total;
    retired.workCalls += report.workCalls;
    retired.workErrors += report.workErrors;
    retired.waits += report.waits;
    retired.waitedMs += report.waitedMs;
  }

  failed(error: WorkerError | Error): void {
    const details = error as WorkerError;
    this.#lastError = {
      name: error.name,
      message: error.message,
      code: typeof details.code === 'string' ? details.code : undefined,
      phase: details.phase,
      stack: error.stack,
      at: Date.now(),
    };
  }

  /** Children launched so far. */
  get runs(): number {
    return this.#runs;
  }

  /** What the child says it will produce in all (last known). */
  get total(): number | undefined {
    return this.#current?.total;
  }

  snapshot(facts: WorkerFacts): WorkerMetrics {
    const report = this.#running ? this.#current : undefined;
    const last = this.#current;
    const retired = this.#retired;
    const counter = (key: 'produced' | 'consumed' | 'forwarded'): RateCounter => ({
      total: retired[key] + (report?.[key].total ?? 0),
      rate1s: report?.[key].rate1s ?? 0,
      rate10s: report?.[key].rate10s ?? 0,
    });
    return {
      name: facts.name,
      kind: facts.kind,
      className: facts.className,
      state: facts.state,
      status: facts.status,
      pid: facts.pid,
      uptimeMs: this.#running ? Math.round(performance.now() - this.#launchedAt) : 0,
      runs: this.#runs,
      restarts: Math.max(0, this.#runs - 1),
      produced: counter('produced'),
      consumed: counter('consumed'),
      forwarded: counter('forwarded'),
      work: {
        calls: retired.workCalls + (report?.workCalls ?? 0),
        errors: retired.workErrors + (report?.workErrors ?? 0),
        duration: last?.duration,
      },
      backPressure: { waits: retired.waits + (report?.waits ?? 0), waitedMs: retired.waitedMs + (report?.waitedMs ?? 0) },
      process: report?.process,
      total: last?.total,
      lastError: this.#lastError,
      queue: facts.queue,
      subscribers: facts.subscribers,
    };
  }
}
