/**
 * @prodcon/core: producers and consumers that run in child processes,
 * connected by ready queues, with a lifecycle machine per worker.
 */
export { Worker } from './api/worker.js';
export type { StartOptions, StopOptions, WorkerOptions } from './api/options.js';
export { Producer, type ProducerOptions } from './api/producer.js';
export { Consumer, type ConsumerOptions } from './api/consumer.js';
export {
  defineProducer,
  defineConsumer,
  type ProducerTypes,
  type ConsumerTypes,
  type ProducerDefinition,
  type ConsumerDefinition,
  type CommonDefinition,
  type StartDefinition,
  type DefinedProducer,
  type DefinedConsumer,
  type DefinedStatics,
  type DefinedContext,
  type DefinedStartContext,
} from './api/define.js';
export type { ContextOf, WorkerEvents, WorkerStatus, WorkerTypeRecord } from './api/worker-types.js';
export { ReadyQueue, putInQueue, engineQueue, DEFAULT_QUEUE_CAPACITY, type ReadyQueueOptions, type SubscriberQueue } from './api/ready-queue.js';
export { ConsumerPool, PoolError } from './api/consumer-pool.js';
export type { ConsumerPoolOptions, PoolEvents, PoolMemberClass, PoolState } from './api/pool-types.js';
export { Pipeline, type PipelineOptions, type PipelineEvents } from './api/pipeline.js';
export { pipeline, convert, type StagesAndOptions, type StagesOf, type ChainedArguments } from './api/pipeline-builders.js';
export { listUnits, onUnitCreated, type Units, type CreatedUnit } from './api/units.js';
export type {
  WorkerMetrics,
  WorkFlow,
  PoolMetrics,
  PipelineMetrics,
  PipelineProgress,
  QueueMetrics,
  RateCounter,
  DurationStats,
  ProcessUsage,
  LastError,
} from './shared/metrics-types.js';
export type { DiagnosticLogger, LogLevel } from './shared/logger.js';
export type { Stage, StageOutput, StageTaking, Taking, ChainedStages, LastStage, StageUnit } from './api/stages.js';
export { configure, type ProdconSettings } from './api/configure.js';
// What SIGINT and SIGTERM do (provided to the signal handling at load).
import './api/shutdown.js';
export { isMainProcess } from './shared/mark.js';
export type { WorkContext, WorkerMessages, WorkLoopControl, WorkerState } from './shared/hooks.js';
export type { WorkerKind } from './shared/protocol.js';
export { RemoteQueue } from './shared/remote-queue.js';
export { END } from './shared/end.js';
export {
  ProdconError,
  WorkerError,
  ConfigError,
  StateError,
  CallbackError,
  type WorkerErrorCode,
  type WorkerPhase,
  type SerializedError,
} from './shared/errors.js';
export { producerLoop } from './shared/loops/producer-loop.js';
export { consumerLoop } from './shared/loops/consumer-loop.js';
export {
  lifecycleMachine,
  publicState,
  pureTransitions,
  type LifecycleEvent,
  type LifecycleStateName,
} from './parent/lifecycle.js';
export {
  registerClass,
  registerCustomType,
  CodecError,
  SizeError,
  ConnectError,
  transportStats,
  DROP_CAUSES,
  type CodecName,
  type DropCause,
  type DropCounts,
} from '@prodcon/ipc';
/** @internal For prodcon's own child entry script. */
export * as __internals from './internals.js';
