import type { ConsumerPool } from './consumer-pool.js';
import type { SubscriberQueue } from './ready-queue.js';
import type { Worker } from './worker.js';
import type { WORKER_TYPES } from './worker-types.js';

/*
 * The types of pipeline stages: what a stage puts out, what a stage takes in,
 * and the check that each stage takes what the one before puts out.
 */

/** A worker or a pool: one unit of a pipeline stage. */
export type StageUnit = Worker<any, any, any, any, any> | ConsumerPool<any, any, any, any, any, any, any>;

/** One stage: a worker, a pool, or several of them side by side (each gets what the stage before sends). */
export type Stage = StageUnit | readonly StageUnit[];

type UnitOutput<U> =
  U extends ConsumerPool<any, infer TResult, any, any, any, any, any>
    ? TResult
    : U extends { readonly [WORKER_TYPES]?: { result: infer TResult } }
      ? TResult
      : never;

/** What a stage puts out: its workers' results (a producer's items), every unit's together. */
export type StageOutput<S> = S extends readonly (infer U)[] ? UnitOutput<U> : UnitOutput<S>;

/** A stage that takes items of type T: consumers or pools (alone or side by side) whose queues take T. */
export type StageTaking<T> = Taking<T> | readonly Taking<T>[];

/** A consumer or a pool whose queue takes T. */
export interface Taking<T> {
  /** Its queue, which takes items of type T. */
  getWorkQueue(): SubscriberQueue<T>;
}

/** The stages as they must be: the first as it is, each next one taking what the one before puts out. */
export type ChainedStages<S extends readonly unknown[], Previous = never> = S extends readonly [infer Head, ...infer Rest]
  ? [[Previous] extends [never] ? Head : StageTaking<Previous>, ...ChainedStages<Rest, StageOutput<Head>>]
  : [];

/** The last element of a tuple. */
export type LastStage<S extends readonly unknown[]> = S extends readonly [...unknown[], infer Last] ? Last : never;
