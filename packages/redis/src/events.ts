import { EventEmitter } from 'node:events';
import { logTransportWarning } from '@prodcon/ipc';
import { redisErrors, type RedisTransportError } from './errors.js';

/**
 * Transport events of this process: `transportError` carries non-fatal
 * errors such as ERR_TRANSPORT_RESET (a queue vanished from Redis and was
 * re-created; its lost items are counted as dropped). Not 'error': an
 * EventEmitter throws an 'error' nobody listens to, and these are not fatal.
 */
const transportEvents = new EventEmitter<{ transportError: [error: RedisTransportError] }>();

/** Calls `listener` with every non-fatal transport error of this process; returns a function that stops it. */
export function onTransportError(listener: (error: RedisTransportError) => void): () => void {
  transportEvents.on('transportError', listener);
  return () => transportEvents.off('transportError', listener);
}

/** News already told in this process (a reset is heard on the channel and seen by writers: told once). */
const told = new Set<string>();

/**
 * News a queue's channel brings to every process that follows the queue
 * (once per process): a host lost ('lost <items> <host>...', published by
 * the checker that handed its entries on) or the queue re-created after a
 * reset ('reset <epoch>'; a writer that meets the new epoch tells it too).
 * Each becomes a `transportError`, and a warning line.
 */
export function announce(endpoint: string, channel: string, message: string): void {
  const key = `${endpoint}|${channel}|${message}`;
  if (told.has(key)) return;
  told.add(key);
  const queue = /^pc:\{[^:]*:(.*)\}:ev$/.exec(channel)?.[1] ?? channel;
  let error: RedisTransportError | undefined;
  if (message.startsWith('reset ')) error = redisErrors.reset(queue, endpoint);
  else if (message.startsWith('lost ')) {
    const [, items, ...hosts] = message.split(' ');
    error = redisErrors.hostLost(queue, hosts, Number(items));
  }
  if (!error) return;
  logTransportWarning(error.message);
  transportEvents.emit('transportError', error);
}
