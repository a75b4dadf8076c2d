import type { LifecycleStateName } from '../parent/lifecycle.js';
import type { WorkContext } from '../shared/hooks.js';
import type { WorkerMetrics } from '../shared/metrics-types.js';
import type { WorkerState } from '../shared/protocol.js';

/**
 * Keys the type-only record of a worker's type parameters (see
 * `Worker[WORKER_TYPES]`). Never set at run time.
 */
export const WORKER_TYPES: unique symbol = Symbol('prodcon.workerTypes');

/**
 * The type parameters of a worker, by name, as its instances carry them (type
 * level only): what goes in (`item`, consumers), what comes out (`result`),
 * `args`, what onStart returns (`start`), and the message channel (`message`
 * to the child, `reply` from it).
 */
export interface WorkerTypeRecord<TItem, TResult, TArgs, TStart, TMessage, TReply> {
  item: TItem;
  result: TResult;
  args: TArgs;
  start: TStart;
  message: TMessage;
  reply: TReply;
}

/**
 * The `ctx` a worker's hooks receive, from the worker's instance type: for
 * helper functions that take `ctx`, and for hooks of a class written without
 * `defineProducer`/`defineConsumer`.
 *
 * @example
 * ```ts
 * function nextReading(ctx: ContextOf<Sensor>): Reading {
 *   return { sensor: ctx.args.sensor, seq: ctx.startResult.seq++ };
 * }
 * ```
 */
export type ContextOf<TWorker> = TWorker extends {
  readonly [WORKER_TYPES]?: { args: infer TArgs; start: infer TStart; message: infer TMessage; reply: infer TReply };
}
  ? WorkContext<TArgs, TStart, TMessage, TReply>
  : never;

/** The detailed state of a worker: its lifecycle machine's state, or `paused` (a running producer whose `work` is paused). */
export type WorkerStatus = LifecycleStateName | 'paused';

/** The events of a worker: `TResult` is what its `work` returns, `TReply` what its child sends as messages. */
export interface WorkerEvents<TResult, TReply = unknown> {
  /** Each result (a producer's items), in order, when the default onResult runs. */
  result: [result: TResult];
  /** Each message from the child (`ctx.messages.send`), in order, when the default onMessage runs. */
  message: [message: TReply];
  /** Each change of the public state (`started`, `stopAtQueueEnd`, `stopped`). */
  state: [state: WorkerState];
  /**
   * A failure (a WorkerError), or a main-process callback that threw; or
   * news of an engine queue the worker uses, which leaves it running (a
   * WorkerError whose `fatal` is false: ERR_TRANSPORT_RESET, ERR_HOST_LOST;
   * with no listener it is not thrown).
   */
  error: [error: Error];
  /** A snapshot of the worker's metrics, every `metricsInterval` ms (1 s by default) while a listener is attached. */
  metrics: [snapshot: WorkerMetrics];
  /** EventEmitter's own: a listener is being added. */
  newListener: [event: string | symbol, listener: (...args: any[]) => void];
  /** EventEmitter's own: a listener was removed. */
  removeListener: [event: string | symbol, listener: (...args: any[]) => void];
}
