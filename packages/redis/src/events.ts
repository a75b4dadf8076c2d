import { engineQueueKey, logTransportWarning, onEngineNews, tellEngineNews, type EngineBinding, type EngineNews } from '@prodcon/ipc';
import { RedisTransportError, redisErrors } from './errors.js';

/**
 * Calls `listener` with every non-fatal transport error of this process,
 * such as ERR_TRANSPORT_RESET (a queue vanished from Redis and was
 * re-created; its lost items are counted as dropped) or ERR_HOST_LOST;
 * returns a function that stops it. A worker whose queue the news concerns
 * also hears it as an 'error' event (a WorkerError with `fatal: false`).
 */
export function onTransportError(listener: (error: RedisTransportError) => void): () => void {
  return onEngineNews((news) => {
    if (news instanceof RedisTransportError) listener(news);
  });
}

/** News already told in this process (a reset is heard on the channel and seen by writers: told once). */
const told = new Set<string>();

/**
 * News a queue's channel brings to every process that follows the queue
 * (once per process): a host lost ('lost <items> <host>...', published by
 * the checker that handed its entries on) or the queue re-created after a
 * reset ('reset <epoch>'; a writer that meets the new epoch tells it too).
 * Each becomes a warning line, and engine news for this process's listeners
 * (onTransportError; in a worker's process, the worker's 'error' event).
 */
export function announce(queue: EngineBinding, message: string): void {
  const key = `${engineQueueKey(queue)}|${message}`;
  if (told.has(key)) return;
  let news: RedisTransportError | undefined;
  if (message.startsWith('reset ')) news = redisErrors.reset(queue.queue, queue.endpoint);
  else if (message.startsWith('lost ')) {
    const [, items, ...hosts] = message.split(' ');
    news = redisErrors.hostLost(queue.queue, hosts, Number(items));
  }
  if (!news) return;
  told.add(key);
  logTransportWarning(news.message);
  tellEngineNews(news as EngineNews, queue);
}
