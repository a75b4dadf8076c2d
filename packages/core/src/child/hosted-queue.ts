import { QueueHost, QueueRouter, loadTransport, type EngineSource, type QueueSource } from '@prodcon/ipc';
import { durationStats } from '../shared/duration-stats.js';
import type { HostedQueueSpec, QueueStats } from '../shared/protocol.js';

/** A consumer's queue, hosted by the consumer's child: on its own socket, or at an engine. */
export interface HostedQueue {
  readonly host: QueueSource;
  /** The queue's counters, with `buffered` items taken and not worked yet (and, for a socket, what it received and its frames' latency). */
  stats(buffered: number): QueueStats;
  /** Resolves once a shut-down engine queue let go of the engine (its last counters known); at once for a socket. */
  shutDown(): Promise<void>;
  /** Stops listening. */
  close(): Promise<void>;
}

/** Hosts the queue `spec` describes: listens for its writers, or joins it at its engine. */
export async function hostQueue(spec: HostedQueueSpec, workerName: string): Promise<HostedQueue> {
  const name = `queue of consumer '${workerName}'`;
  const options = { queueId: spec.queueId, name, capacity: spec.capacity, lossy: spec.lossy, ready: spec.ready, acknowledge: spec.acknowledge };
  if (spec.engine) {
    const transport = await loadTransport(spec.engine);
    const source: EngineSource = await transport.createSource(spec.engine, { ...options, member: workerName });
    return {
      host: source,
      stats: (buffered) => ({ queueId: spec.queueId, size: source.size + buffered, drops: source.drops, engineDrops: source.engineDrops }),
      shutDown: () => source.whenShutDown(),
      close: () => Promise.resolve(),
    };
  }
  const host = new QueueHost(options);
  const router = new QueueRouter();
  router.add(host);
  const server = await router.listen(spec.address, name);
  return {
    host,
    stats: (buffered) => ({
      queueId: spec.queueId,
      size: host.size + buffered,
      drops: host.drops,
      host: { received: host.received, taken: host.taken, latency: durationStats(host.latency.histogram) },
    }),
    shutDown: () => Promise.resolve(),
    close: () => server.close(),
  };
}
