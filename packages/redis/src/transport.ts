/**
 * The Redis transport, as a process loads it to reach an engine queue (the
 * `module` of an EngineBinding): consumer children that host a Redis queue
 * and producer children that write to one import this module, whether or not
 * their worker's module ever imports @prodcon/redis.
 */
import {
  totalDrops,
  type EngineBinding,
  type EngineQueueStats,
  type EngineSink,
  type EngineSinkOptions,
  type EngineSource,
  type EngineSourceOptions,
  type Transport,
} from '@prodcon/ipc';
import { RedisEndpoint, type QueueTarget } from './connection.js';
import { parseDrops } from './drops.js';
import { queueKeys } from './keys.js';
import { RedisQueueSink } from './sink.js';
import { RedisQueueSource } from './source.js';

/** How often a watch of the writers looks again without an event. */
const WRITER_CHECK_MS = 1000;

/** One process's use of Redis: an endpoint (connections, scripts) per server URL. */
export class RedisTransport implements Transport {
  readonly name = 'redis';
  #endpoints = new Map<string, RedisEndpoint>();

  createSink(binding: EngineBinding, options: EngineSinkOptions): EngineSink {
    return new RedisQueueSink(this.#target(binding), options);
  }

  createSource(binding: EngineBinding, options: EngineSourceOptions): Promise<EngineSource> {
    return RedisQueueSource.create(this.#target(binding), options);
  }

  async stats(binding: EngineBinding): Promise<EngineQueueStats> {
    const target = this.#target(binding);
    await target.endpoint.ready();
    const [hosted, ready, size, occupied, counts] = (await target.endpoint.run('pcStats', target.keys, [])) as [number, string, number, number, unknown];
    const drops = parseDrops(counts);
    return { hosted: Number(hosted) === 1, ready: String(ready) === '1', size: Number(size), occupied: Number(occupied), drops, dropped: totalDrops(drops) };
  }

  async setReady(binding: EngineBinding, ready: boolean): Promise<void> {
    const target = this.#target(binding);
    await target.endpoint.run('pcSetFlag', target.keys, ['ready', ready ? '1' : '0']);
  }

  async clear(binding: EngineBinding): Promise<number> {
    const target = this.#target(binding);
    return Number(await target.endpoint.run('pcClear', target.keys, []));
  }

  watchWriters(binding: EngineBinding, listener: (writers: { open: number; ended: number }) => void): () => void {
    const target = this.#target(binding);
    let stopped = false;
    const check = async () => {
      const [open, , , ended] = (await target.endpoint.run('pcWritersOpen', target.keys, ['']).catch(() => [1, 0, 0, 0])) as number[];
      if (!stopped) listener({ open: Number(open), ended: Number(ended) });
    };
    const unsubscribe = target.endpoint.subscribe(target, (message) => {
      if (message === 'ended' || message === 'state') void check();
    });
    // A writer that died ends by its lease running out, which no event announces.
    const timer = setInterval(() => void check(), WRITER_CHECK_MS);
    timer.unref();
    void check();
    return () => {
      stopped = true;
      unsubscribe();
      clearInterval(timer);
    };
  }

  close(): Promise<void> {
    for (const endpoint of this.#endpoints.values()) endpoint.close();
    return Promise.resolve(); // the closed endpoints stay: later calls fail with ERR_TRANSPORT_CLOSED, not reconnect
  }

  #target(binding: EngineBinding): QueueTarget {
    let endpoint = this.#endpoints.get(binding.endpoint);
    if (!endpoint) {
      endpoint = new RedisEndpoint(binding.endpoint);
      this.#endpoints.set(binding.endpoint, endpoint);
    }
    return { binding, endpoint, keys: queueKeys(binding), queue: binding.queue };
  }
}

/** What a process loading this module gets (see TransportModule in @prodcon/ipc). */
export function createTransport(): Transport {
  return new RedisTransport();
}
