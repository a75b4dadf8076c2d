import type { QueueSource } from '@prodcon/ipc';
import type { WorkerState } from './protocol.js';

export type { WorkerState };

/**
 * The child's side of the two-way message channel with the main process.
 * `TMessage`: what the main process sends (`sendMessage`); `TReply`: what the
 * child sends back (the main process's 'message' event).
 */
export interface WorkerMessages<TMessage = unknown, TReply = TMessage> {
  /**
   * Sends a message to the main process (its `onMessage` / 'message' event).
   * @throws CodecError at once for values that cannot cross (functions, symbols).
   */
  send(message: TReply): void;
  /** The next message from the main process; rejects with an AbortError once the worker stops and none is left. */
  receive(): Promise<TMessage>;
  /** The next message if one is waiting, else undefined (never waits). */
  tryReceive(): TMessage | undefined;
  /** Iterates messages as they come; ends when the worker stops. */
  [Symbol.asyncIterator](): AsyncIterator<TMessage>;
}

/**
 * What every hook receives, in the child. Its type parameters are the
 * worker's: `args`, what `onStart` returned, and the two directions of the
 * message channel (see WorkerMessages).
 */
export interface WorkContext<TArgs = unknown, TStart = unknown, TMessage = unknown, TReply = TMessage> {
  /** Constructor args, with the args given to `start()` merged on top. */
  args: TArgs;
  /** What onStart returned (undefined inside onStart itself). */
  startResult: TStart;
  /** The live state: `started`, `stopAtQueueEnd` while draining, `stopped` once a stop was asked. */
  readonly state: WorkerState;
  /** Aborted as soon as a stop is requested: pass it to anything that waits. */
  signal: AbortSignal;
  /** Stops this worker from inside (after the current work call; onStop still runs). */
  stop(): void;
  /**
   * Changes a producer's period from inside, as `producer.setWorkTimeout(ms)`
   * does from the main process (which learns the new value).
   * @throws RangeError when `ms` is not a number ≥ 0.
   */
  setWorkTimeout(ms: number): void;
  /** The message channel with the main process. */
  messages: WorkerMessages<TMessage, TReply>;
  /** The worker's name. */
  name: string;
}

/**
 * What a `workLoop` drives. The framework's loops (`Producer.workLoop`,
 * `Consumer.workLoop`) are written against it; override `workLoop` only to
 * change how hooks are scheduled, and call these to keep the guarantees
 * (phase-tagged errors, onStop after a failure, back-pressure, results).
 */
export interface WorkLoopControl<TItem = unknown> {
  readonly ctx: WorkContext;
  /** The period (ms) between `work` calls; it changes while the worker runs (setWorkTimeout). */
  readonly workTimeout: number;
  readonly maxBufferSize: number;
  /** Producers: `work` is paused (producer.pause()); wait for a change, then look again. */
  readonly paused: boolean;
  /** Producers: the ceiling (ms) of the back-off while `work` returns nothing with workTimeout 0; 0 spins. */
  readonly idleBackoffMs: number;
  /**
   * Every subscriber refused the last item published (none is hosted, say
   * its consumer died, or none accepts now): a loop should back off as if
   * idle instead of producing items only to have them refused.
   */
  readonly refused: boolean;
  /** The live state (same as ctx.state). */
  readonly state: WorkerState;
  /** Calls onStart, stores its result in ctx.startResult and tells the main process the worker started. */
  runOnStart(): Promise<void>;
  /** Calls the producer's `work(ctx)` or the consumer's `work(items, ctx)`. */
  runWork(items?: TItem[]): unknown;
  /** Puts one item into every subscriber queue (waits only if a lossless one is full). */
  publish(item: unknown): void | Promise<void>;
  /**
   * Sends what `publish` left pending now: items otherwise leave at the end
   * of the turn, together. A loop calls it before it sleeps, so that a paced
   * item does not wait for the rest of the turn.
   */
  flushSubscribers(): void;
  /** Sends a result to the main process, if anyone listens there (waits if it reads slower than results come). */
  reportResult(result: unknown): void | Promise<void>;
  /** Resolves (or returns undefined at once) when every lossless subscriber has room for one more item. */
  whenSubscribersWritable(): void | Promise<void>;
  /** Resolves at the next change of state (a stop or drain request). */
  whenStateChanges(): Promise<void>;
  /**
   * Calls `listener` at every change of state, pause or period, until the
   * returned function is called. A loop that waits many times should use it
   * rather than race `whenStateChanges()` on every wait, which would leave a
   * reaction on one long-lived promise each time.
   */
  onStateChange(listener: () => void): () => void;
  /** The consumer's queue (undefined in a producer). */
  readonly queue: QueueSource | undefined;
  /** Items taken from the queue but not worked yet; the main process counts them in `queue.size`. */
  buffered: number;
  /**
   * The oldest `count` items taken from the queue were consumed. A pool
   * member's writers keep items until then, and deliver them to another
   * member if this one dies first. A no-op for queues that do not acknowledge.
   */
  acknowledge(count: number): void;
}
