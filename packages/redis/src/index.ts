/**
 * @prodcon/redis: prodcon queues kept in Redis Streams, so that producers and
 * consumers on different hosts share them with unchanged worker code.
 *
 * ```ts
 * const readings = redisQueue('lab/readings', { url: 'redis://10.0.0.5:6379', lossy: true, capacity: 1000 });
 * new Consumer({ queue: readings });          // on the analysis host: hosts the queue while it runs
 * new Producer({ subscribers: [readings] });  // on each lab PC: writes into it by name
 * ```
 *
 * The transport itself (transport.ts) is loaded by the processes that meet
 * such a queue, through the module URL its binding carries.
 */
import { engineQueue, type ReadyQueue } from '@prodcon/core';
import { closeTransports, loadTransport, type EngineBinding, type EngineQueueStats } from '@prodcon/ipc';
import { redisErrors } from './errors.js';

export { RedisTransportError } from './errors.js';
export { onTransportError } from './events.js';
export { CREDENTIAL_ENV } from './connection.js';
export type { EngineQueueStats } from '@prodcon/ipc';

/** Where the transport module is: every process that meets a Redis queue imports it from there. */
const TRANSPORT_MODULE = new URL('./transport.js', import.meta.url).href;

/** Environment variables read when an option is not given. */
export const REDIS_ENV = { url: 'PRODCON_REDIS_URL', namespace: 'PRODCON_REDIS_NAMESPACE' } as const;

/** Options of `redisQueue()`: where the queue is, and its capacity and loss policy. */
export interface RedisQueueOptions {
  /**
   * The server: `redis://host:port/db` or `rediss://` (TLS). No credentials
   * here (the URL travels to every worker): they come from
   * PRODCON_REDIS_USERNAME / PRODCON_REDIS_PASSWORD in each process's
   * environment. Default: $PRODCON_REDIS_URL, else redis://127.0.0.1:6379.
   */
  url?: string;
  /** Keeps one deployment's queues apart from another's (default $PRODCON_REDIS_NAMESPACE, else 'prodcon'). */
  namespace?: string;
  /** Drop the oldest item when full instead of making writers wait (default false). */
  lossy?: boolean;
  /** Most items the queue holds in Redis (default 10,000). */
  capacity?: number;
}

/**
 * A queue kept in Redis, usable wherever a queue is: as a consumer's or a
 * pool's `queue`, as a producer's subscriber, with `put` / `putInQueue`, and
 * passed in `args`. Its items go from writer to Redis to consumer, never
 * through a main process. Within one process, the same name gives the same
 * queue.
 * @throws RedisTransportError (`ERR_INVALID_OPTION`) for a bad name or URL, or a URL with credentials.
 */
export function redisQueue<T = unknown>(name: string, options: RedisQueueOptions = {}): ReadyQueue<T> {
  if (typeof name !== 'string' || name.length === 0 || /[{}]/.test(name)) throw redisErrors.badName(String(name));
  const url = options.url ?? process.env[REDIS_ENV.url] ?? 'redis://127.0.0.1:6379';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw redisErrors.badUrl(name, url);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw redisErrors.badUrl(name, url);
  if (parsed.username || parsed.password) throw redisErrors.credentialsInUrl(name);
  const binding: EngineBinding = {
    transport: 'redis',
    module: TRANSPORT_MODULE,
    endpoint: url,
    namespace: options.namespace ?? process.env[REDIS_ENV.namespace] ?? 'prodcon',
    queue: name,
  };
  const queue = engineQueue<T>(binding, { capacity: options.capacity, lossy: options.lossy });
  bindings.set(queue, binding);
  return queue;
}

const bindings = new WeakMap<ReadyQueue<any>, EngineBinding>();

/** The queue's figures as Redis keeps them: unread items, items holding capacity, drops by cause, hosted, ready. */
export async function redisQueueStats(queue: ReadyQueue<any>): Promise<EngineQueueStats> {
  const binding = bindings.get(queue);
  if (!binding) throw redisErrors.notRedis(queue.name);
  return (await loadTransport(binding)).stats(binding);
}

/** Closes this process's Redis connections (a main process that used Redis queues, before it exits). */
export function closeRedis(): Promise<void> {
  return closeTransports();
}
