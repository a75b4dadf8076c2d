import { mergeDurations } from '../shared/duration-stats.js';
import type { PipelineProgress, PoolMetrics, QueueMetrics, RateCounter, WorkerMetrics } from '../shared/metrics-types.js';

/** Counters of several workers as one: totals and rates added. */
function sumCounters(counters: RateCounter[]): RateCounter {
  const sum = (key: keyof RateCounter) => counters.reduce((total, counter) => total + counter[key], 0);
  return { total: sum('total'), rate1s: sum('rate1s'), rate10s: sum('rate10s') };
}

/** What a pool's snapshot takes from the pool. */
export interface PoolFacts {
  name: string;
  state: string;
  size: number;
  restarts: number;
  queue: QueueMetrics;
}

/** A pool's snapshot: its members' counters added up, its queue, and each member's own. */
export function poolMetrics(facts: PoolFacts, members: WorkerMetrics[]): PoolMetrics {
  return {
    ...facts,
    produced: sumCounters(members.map((member) => member.produced)),
    consumed: sumCounters(members.map((member) => member.consumed)),
    forwarded: sumCounters(members.map((member) => member.forwarded)),
    work: {
      calls: members.reduce((total, member) => total + member.work.calls, 0),
      errors: members.reduce((total, member) => total + member.work.errors, 0),
      duration: mergeDurations(members.map((member) => member.work.duration)),
    },
    members,
  };
}

/** A unit's snapshot, as a stage of a pipeline sees it. */
export type StageMetrics = WorkerMetrics | PoolMetrics;

/**
 * How far a pipeline got: per stage, the items its units finished (the first
 * stage's producers: what they produced; consumers: what they consumed); the
 * total the source declared; the source's items the second stage consumed.
 * Durations and rates play no part: only counters, exact once a unit stopped.
 */
export function pipelineProgress(stages: StageMetrics[][], finished: boolean): PipelineProgress {
  const doneBy = (unit: StageMetrics, first: boolean) =>
    first && 'kind' in unit && unit.kind === 'producer' ? unit.produced.total : unit.consumed.total;
  // The first stage's units each make their own items (added up); a later stage's units each get
  // every item of the stage before (side by side): the one furthest behind says how far the stage is.
  const perStage = stages.map((units, index) => ({
    names: units.map((unit) => unit.name),
    done: index === 0 ? units.reduce((total, unit) => total + doneBy(unit, true), 0) : Math.min(...units.map((unit) => doneBy(unit, false))),
  }));
  const totals = stages[0].map((unit) => ('total' in unit ? unit.total : undefined));
  const total = totals.every((value) => value !== undefined) ? totals.reduce((sum, value) => sum + value, 0) : undefined;
  const done = (perStage[1] ?? perStage[0]).done;
  return {
    stages: perStage,
    total,
    done,
    fraction: total === undefined ? undefined : total === 0 ? 1 : Math.min(1, done / total),
    finished,
  };
}
