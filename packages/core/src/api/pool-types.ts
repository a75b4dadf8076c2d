import type { WorkerError } from '../shared/errors.js';
import type { PoolMetrics } from '../shared/metrics-types.js';
import type { Consumer, ConsumerOptions } from './consumer.js';

/* The types of a ConsumerPool: its options, its events, its states, the classes it runs. */

/**
 * A pool's options: its members' ConsumerOptions (but `name`), plus `size` and
 * `restart`. One default differs from a single Consumer's: when the options
 * set neither `maxBufferSize` nor `workTimeout`, members take batches, with
 * `maxBufferSize` POOL_BATCH (1000) and `workTimeout` 0: each `work` call gets
 * what is queued for the member, up to 1000 items, at once (never waiting
 * for more). Setting either option gives a Consumer's defaults for the other.
 */
export interface ConsumerPoolOptions<TArgs = unknown, TResult = unknown> extends Omit<ConsumerOptions<TArgs, TResult>, 'name'> {
  /** Names the pool; members are named `<name>-1`, `<name>-2`... (default: the class name). */
  name?: string;
  /** Number of member processes (default: os.availableParallelism()). */
  size?: number;
  /**
   * What to do when a member fails. Default: the whole pool fails (every
   * member is stopped, join() rejects). With `restart`, the member is started
   * again (at most `max` times in all, after `backoffMs`), and the items it
   * had not finished go to the other members meanwhile.
   */
  restart?: { max: number; backoffMs?: number };
}

/** A pool's events: its members' results and messages (with the member's name), its errors and states. */
export interface PoolEvents<TResult, TReply = unknown> {
  /** A result of any member, as it comes. */
  result: [result: TResult];
  /** A message from any member's child, with the member's name (`<pool>-<n>`). */
  message: [message: TReply, member: string];
  /**
   * The pool failed (the first member failure, as a WorkerError naming the
   * member); or a member's news, which fails nothing (a WorkerError whose
   * `fatal` is false: ERR_TRANSPORT_RESET, ERR_HOST_LOST).
   */
  error: [error: Error];
  /** A member failed and will be restarted (restart policy). */
  memberRestart: [error: WorkerError, member: string];
  /** Each change of the pool's state (see PoolState). */
  state: [state: PoolState];
  /** A snapshot of the pool's metrics, every `metricsInterval` ms (1 s by default) while a listener is attached. */
  metrics: [snapshot: PoolMetrics];
  /** EventEmitter's own: a listener is being added. */
  newListener: [event: string | symbol, listener: (...args: any[]) => void];
  /** EventEmitter's own: a listener was removed. */
  removeListener: [event: string | symbol, listener: (...args: any[]) => void];
}

/**
 * A pool's lifecycle: `idle` (made, not started), `running`, `closing`
 * (close() or join(): draining), `stopped`, `failed` (a member failed with no
 * restart left).
 */
export type PoolState = 'idle' | 'running' | 'closing' | 'stopped' | 'failed';

/**
 * A Consumer class a pool can run: any Consumer subclass (or a class made by
 * defineConsumer). The pool takes its types from it, `TStop` from its onStop.
 */
export type PoolMemberClass<TItem, TResult, TArgs, TStart, TMessage, TReply, TStop> = (new (
  options?: ConsumerOptions<TArgs, TResult>,
) => Consumer<TItem, TResult, TArgs, TStart, TMessage, TReply>) & {
  /** Its onStop: what it returns is what the pool's join() collects. */
  onStop(ctx: any): TStop | PromiseLike<TStop>;
};
