import type { EventEmitter } from 'node:events';
import { callbackError } from './failures.js';

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

/**
 * Hands each value to a user callback (`onResult`, `onMessage`), in order. A
 * callback that throws is reported through `raise` and delivery goes on: the
 * child is not affected by a main-process callback's failure.
 */
export function deliverEach(emitter: EventEmitter, values: unknown[], callbackName: string, callback: (value: unknown) => void): void {
  for (const value of values) {
    try {
      callback(value);
    } catch (error) {
      raise(emitter, callbackError(callbackName, error));
    }
  }
}
