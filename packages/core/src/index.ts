/**
 * @prodcon/core: producers and consumers that run in child processes,
 * connected by ready queues, with a lifecycle machine per worker.
 */
export { Worker, type WorkerEvents } from './api/worker.js';
export type { StartOptions, StopOptions, WorkerOptions } from './api/options.js';
export { Producer, type ProducerOptions } from './api/producer.js';
export { Consumer, type ConsumerOptions } from './api/consumer.js';
export { ReadyQueue, putInQueue, engineQueue, DEFAULT_QUEUE_CAPACITY, type ReadyQueueOptions } from './api/ready-queue.js';
export { ConsumerPool, PoolError, type ConsumerPoolOptions, type PoolEvents, type PoolState } from './api/consumer-pool.js';
export { Pipeline, pipeline, convert, type Stage } from './api/pipeline.js';
export { isMainProcess } from './shared/mark.js';
export type { WorkContext, WorkerMessages, WorkLoopControl, WorkerState } from './shared/hooks.js';
export { RemoteQueue } from './shared/remote-queue.js';
export { END } from './shared/end.js';
export {
  ProdconError,
  WorkerError,
  ConfigError,
  StateError,
  type WorkerErrorCode,
  type WorkerPhase,
  type SerializedError,
} from './shared/errors.js';
export { producerLoop } from './shared/loops/producer-loop.js';
export { consumerLoop } from './shared/loops/consumer-loop.js';
export { lifecycleMachine, publicState, pureTransitions, type LifecycleEvent } from './parent/lifecycle.js';
export { registerClass, registerCustomType, CodecError, type CodecName } from '@prodcon/ipc';
/** @internal For prodcon's own child entry script. */
export * as __internals from './internals.js';
