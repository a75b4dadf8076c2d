import type { EventEmitter } from 'node:events';
import { callbackFailed } from './failures.js';

/**
 * Delivers an error the Node.js way, out of prodcon's own I/O handlers (so
 * that a throwing listener cannot break a connection): to the 'error'
 * listeners; with none, and nobody else who will see it (`seenElsewhere`: a
 * waiting promise or iterator), it is thrown as an uncaught exception. A
 * failure is never silent.
 *
 * setImmediate, not nextTick: the frame that reports a failure often arrives
 * in the same read as the one that resolved `start()`. The caller's
 * `await worker.start()` continuation must run first, so that code which
 * attaches its 'error' listener right after the start sees the error.
 */
export function raise(emitter: EventEmitter, error: Error, seenElsewhere: () => boolean = () => false): void {
  setImmediate(() => {
    if (emitter.listenerCount('error') > 0) emitter.emit('error', error);
    else if (!seenElsewhere()) throw error;
  });
}

/**
 * Tells news that is not a failure (a WorkerError whose `fatal` is false) to
 * the 'error' listeners, out of prodcon's I/O handlers as `raise` does; with
 * none it is not thrown: the process it came from logged it already.
 */
export function tell(emitter: EventEmitter, news: Error): void {
  setImmediate(() => {
    if (emitter.listenerCount('error') > 0) emitter.emit('error', news);
  });
}

/** Who a user callback belongs to, as its CallbackError names it. */
export interface CallbackOwner {
  /** `Worker`, `ConsumerPool`, `Pipeline`. */
  readonly kind: string;
  readonly name: string;
}

/**
 * Calls a user callback of the main process (`onResult`, `onMessage`, an
 * emit to listeners) and reports its failure, a throw or a rejected promise
 * alike, as a CallbackError through `raise`: the caller (prodcon's I/O
 * handlers) goes on, and so does the child. The one place that does so; the
 * rejections of async listeners come through `reportRejection` (EventEmitter's
 * captureRejections).
 */
export function callUser(emitter: EventEmitter, owner: CallbackOwner, callback: string, run: () => unknown): void {
  const fail = (thrown: unknown) => raise(emitter, callbackFailed(owner, callback, thrown));
  try {
    const returned = run();
    if (isThenable(returned)) returned.then(undefined, fail);
  } catch (thrown) {
    fail(thrown);
  }
}

/** Hands each value to a user callback in order (see callUser): one that fails does not stop the others. */
export function deliverEach(emitter: EventEmitter, owner: CallbackOwner, values: unknown[], callback: string, deliver: (value: unknown) => unknown): void {
  for (const value of values) callUser(emitter, owner, callback, () => deliver(value));
}

/**
 * An async listener of `event` rejected (EventEmitter's captureRejections
 * calls this instead of leaving an unhandled rejection, which would end the
 * process): reported like a listener that threw.
 */
export function reportRejection(emitter: EventEmitter, owner: CallbackOwner, thrown: unknown, event: unknown): void {
  // An 'error' listener's own failure cannot go back to 'error' (a loop): thrown, as a listener's throw would be.
  if (event === 'error') {
    setImmediate(() => {
      throw thrown;
    });
    return;
  }
  raise(emitter, callbackFailed(owner, `'${String(event)}' listener`, thrown));
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
