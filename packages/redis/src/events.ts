import { EventEmitter } from 'node:events';
import type { RedisTransportError } from './errors.js';

/**
 * Transport events of this process: `transportError` carries non-fatal
 * errors such as ERR_TRANSPORT_RESET (a queue vanished from Redis and was
 * re-created; its lost items are counted as dropped). Not 'error': an
 * EventEmitter throws an 'error' nobody listens to, and these are not fatal.
 */
export const transportEvents = new EventEmitter<{ transportError: [error: RedisTransportError] }>();

/** Calls `listener` with every non-fatal transport error of this process; returns a function that stops it. */
export function onTransportError(listener: (error: RedisTransportError) => void): () => void {
  transportEvents.on('transportError', listener);
  return () => transportEvents.off('transportError', listener);
}
