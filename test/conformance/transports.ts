/**
 * The conformance suite's transports: every scenario written against a
 * `TransportUnderTest` runs once with queues hosted by the consumer over
 * Unix sockets (local) and once with queues kept in Redis Streams.
 */
import { closeRedis, redisQueue } from '@prodcon/redis';
import type { ReadyQueue } from '@prodcon/core';
import { describeWithRedis, freshNamespace, testRedis } from '../helpers/redis.js';

/** Consumer or pool options, as far as the queue is concerned. */
interface QueueOptions {
  queueSize?: number;
  lossy?: boolean;
}

export interface TransportUnderTest {
  readonly name: 'local' | 'redis';
  /**
   * `options` for a consumer (or pool) whose queue is of this transport:
   * unchanged for local queues; with `queue: redisQueue(...)` (capacity
   * `queueSize`, `lossy`) for Redis, a queue of its own in a fresh namespace.
   */
  consumer<O extends object>(options: O): O & { queue?: ReadyQueue };
}

const local: TransportUnderTest = {
  name: 'local',
  consumer: (options) => options,
};

let queues = 0;

function redis(url: () => string): TransportUnderTest {
  return {
    name: 'redis',
    consumer: (options) => {
      const { queueSize, lossy } = options as QueueOptions;
      return { ...options, queue: redisQueue(`conformance-${++queues}`, { url: url(), namespace: freshNamespace(), capacity: queueSize, lossy }) };
    },
  };
}

/** Runs `body` as `title [local]` and `title [redis]` (against a private redis-server, or skipped with the reason). */
export function forEachTransport(title: string, body: (transport: TransportUnderTest) => void): void {
  describe(`${title} [local]`, () => body(local));
  describeWithRedis(`${title} [redis]`, () => {
    let server: Awaited<ReturnType<typeof testRedis>> | undefined;
    beforeAll(async () => {
      server = await testRedis();
    });
    afterAll(async () => {
      await closeRedis();
      await server?.dispose();
    });
    body(redis(() => server!.url));
  });
}
