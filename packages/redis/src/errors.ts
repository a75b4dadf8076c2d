import { ProdconError } from '@prodcon/ipc';

/** A failure of the Redis transport; `code` says which (see the factories below). */
export class RedisTransportError extends ProdconError {}

/** Every message of the Redis transport, built in one place. */
export const redisErrors = {
  evictionPolicy: (endpoint: string, policy: string) =>
    new RedisTransportError(
      'ERR_REDIS_EVICTION_POLICY',
      `Redis at ${endpoint} has maxmemory-policy '${policy}': it may delete queue keys under memory pressure. ` +
        "prodcon needs 'noeviction' (CONFIG SET maxmemory-policy noeviction, or maxmemory-policy in redis.conf)",
    ),
  credentialsInUrl: (queue: string) =>
    new RedisTransportError(
      'ERR_INVALID_OPTION',
      `redisQueue('${queue}'): the url must not hold credentials (it is sent to every worker): ` +
        'set PRODCON_REDIS_USERNAME and PRODCON_REDIS_PASSWORD in the environment instead',
    ),
  badUrl: (queue: string, url: unknown) =>
    new RedisTransportError('ERR_INVALID_OPTION', `redisQueue('${queue}'): option "url" must be a redis:// or rediss:// URL, got ${String(url)}`),
  badName: (queue: string) =>
    new RedisTransportError('ERR_INVALID_OPTION', `redisQueue(): the queue name must be a non-empty string without '{' or '}', got '${queue}'`),
  hostLost: (queue: string, hosts: string[], items: number) =>
    new RedisTransportError(
      'ERR_HOST_LOST',
      `queue '${queue}': ${hosts.map((host) => `'${host}'`).join(', ')} stopped renewing its lease (process or machine lost): ` +
        `${items} item(s) it had not acknowledged go to the live hosts`,
    ),
  closed: (endpoint: string) => new RedisTransportError('ERR_TRANSPORT_CLOSED', `this process closed its connections to Redis at ${endpoint}`),
  notRedis: (queue: string) => new RedisTransportError('ERR_INVALID_OPTION', `${queue} is not a queue made by redisQueue()`),
  reset: (queue: string, endpoint: string) =>
    new RedisTransportError(
      'ERR_TRANSPORT_RESET',
      `queue '${queue}' vanished from Redis at ${endpoint} (restarted without persistence?): re-created; items lost in it are counted as dropped (lost)`,
    ),
  scriptFailed: (what: string, queue: string, error: unknown) =>
    new RedisTransportError('ERR_REDIS_COMMAND', `${what} on queue '${queue}' failed: ${(error as Error)?.message ?? String(error)}`, {
      cause: error,
    }),
};
