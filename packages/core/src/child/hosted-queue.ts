import { QueueHost, QueueRouter, type SocketServer } from '@prodcon/ipc';
import type { HostedQueueSpec } from '../shared/protocol.js';

/** A consumer's queue, hosted on its own socket by the consumer's child. */
export interface HostedQueue {
  readonly host: QueueHost;
  readonly server: SocketServer;
}

/** Hosts the queue `spec` describes and listens for its writers. */
export async function hostQueue(spec: HostedQueueSpec, workerName: string): Promise<HostedQueue> {
  const name = `queue of consumer '${workerName}'`;
  const host = new QueueHost({
    queueId: spec.queueId,
    name,
    capacity: spec.capacity,
    lossy: spec.lossy,
    ready: spec.ready,
    acknowledge: spec.acknowledge,
  });
  const router = new QueueRouter();
  router.add(host);
  const server = await router.listen(spec.address, name);
  return { host, server };
}
