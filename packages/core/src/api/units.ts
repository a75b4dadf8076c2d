import { onRegistered, registered } from '../parent/registry.js';
import type { ConsumerPool } from './consumer-pool.js';
import type { Pipeline } from './pipeline.js';
import type { ReadyQueue } from './ready-queue.js';
import type { Worker } from './worker.js';

/** Every live unit of this process, each list in the order of creation. */
export interface Units {
  workers: Worker<any, any, any, any, any>[];
  pools: ConsumerPool<any, any, any, any, any, any, any>[];
  pipelines: Pipeline<any>[];
  /** Every ReadyQueue: consumers' and pools' queues (a pool's members' too), and those made with `new ReadyQueue()`. */
  queues: ReadyQueue<any>[];
}

/** A unit that was just created, by kind. */
export type CreatedUnit =
  | { kind: 'worker'; unit: Worker<any, any, any, any, any> }
  | { kind: 'pool'; unit: ConsumerPool<any, any, any, any, any, any, any> }
  | { kind: 'pipeline'; unit: Pipeline<any> }
  | { kind: 'queue'; unit: ReadyQueue<any> };

/**
 * Every worker, pool, pipeline and queue this process created and still
 * holds (they are held weakly: what the application dropped is not listed).
 * For dashboards and exporters: no registration call is needed.
 */
export function listUnits(): Units {
  return {
    workers: registered('worker'),
    pools: registered('pool'),
    pipelines: registered('pipeline'),
    queues: registered('queue'),
  };
}

/**
 * Calls `listener` for each worker, pool, pipeline and queue created from now
 * on (from its constructor: it is not fully set up until the current turn ends).
 * Returns a function that stops the calls.
 */
export function onUnitCreated(listener: (created: CreatedUnit) => void): () => void {
  return onRegistered((kind, unit) => listener({ kind, unit } as CreatedUnit));
}
