/**
 * @prodcon/core: producers and consumers that run in child processes,
 * connected by ready queues, with a lifecycle machine per worker.
 */
export { Worker, type StartOptions, type StopOptions, type WorkerEvents } from './worker/worker.js';
export { isMainProcess } from './worker/child-class.js';
export { Producer, type ProducerOptions } from './worker/producer.js';
export { Consumer, type ConsumerOptions } from './worker/consumer.js';
export type { WorkContext, WorkerMessages, WorkLoopControl, WorkerState } from './worker/types.js';
export { ReadyQueue, putInQueue, DEFAULT_QUEUE_CAPACITY, type ReadyQueueOptions } from './queue/ready-queue.js';
export { RemoteQueue } from './queue/remote-queue.js';
export { ConsumerPool, PoolError, type ConsumerPoolOptions, type PoolEvents, type PoolState } from './pool/consumer-pool.js';
export { Pipeline, pipeline, convert, type Stage } from './pipeline/pipeline.js';
export { END } from './child/end.js';
export {
  ProdconError,
  WorkerError,
  ConfigError,
  StateError,
  type WorkerErrorCode,
  type WorkerPhase,
  type SerializedError,
} from './errors.js';
export type { WorkerOptions } from './options.js';
export { producerLoop } from './child/producer-loop.js';
export { consumerLoop } from './child/consumer-loop.js';
export { lifecycleMachine, publicState, pureTransitions, type LifecycleEvent } from './lifecycle/machine.js';
export { registerClass, registerCustomType, CodecError, type CodecName } from '@prodcon/ipc';
/** @internal For prodcon's own child entry script. */
export * as __internals from './internals.js';
