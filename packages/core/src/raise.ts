import type { EventEmitter } from 'node:events';

/**
 * Delivers an error the Node.js way, on the next tick (out of prodcon's own
 * I/O handlers, so that a throwing listener cannot break a connection): to
 * the 'error' listeners; with none, and nobody else who will see it
 * (`seenElsewhere`: a waiting promise or iterator), it is thrown as an
 * uncaught exception. A failure is never silent.
 */
export function raise(emitter: EventEmitter, error: Error, seenElsewhere: () => boolean = () => false): void {
  process.nextTick(() => {
    if (emitter.listenerCount('error') > 0) emitter.emit('error', error);
    else if (!seenElsewhere()) throw error;
  });
}
