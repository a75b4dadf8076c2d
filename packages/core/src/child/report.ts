import type { QueueHost } from '@prodcon/ipc';
import { durationStats } from '../shared/duration-stats.js';
import { forwardLogs } from '../shared/logger.js';
import type { ChildControl, QueueStats } from '../shared/protocol.js';
import type { LoopControl } from './control.js';
import type { SubscriberSet } from './subscribers.js';

/** The stats path's message. */
export type StatsMessage = Extract<ChildControl, { type: 'queueStats' }>;

/**
 * What the child reports on the stats path: the counters of every queue it
 * writes into, of the queue it hosts (a consumer: with what it took and the
 * latency of its frames), and its worker's own.
 */
export function collectQueueStats(subscribers: SubscriberSet, host: QueueHost | undefined, control: LoopControl): StatsMessage {
  const stats: QueueStats[] = subscribers.stats();
  if (host) {
    stats.push({
      queueId: host.queueId,
      size: host.size + control.buffered,
      drops: host.drops,
      host: { received: host.received, taken: host.taken, latency: durationStats(host.latency.histogram) },
    });
  }
  return { type: 'queueStats', stats, worker: control.metrics.report() };
}

/** Sends this child's diagnostics to the main process's logger as well (it has one). */
export function forwardDiagnostics(send: (message: Extract<ChildControl, { type: 'log' }>) => void): void {
  forwardLogs((level, message, fields) => send({ type: 'log', level, message, fields }));
}
