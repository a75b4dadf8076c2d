import { forwardLogs } from '../shared/logger.js';
import type { ChildControl, QueueStats } from '../shared/protocol.js';
import type { LoopControl } from './control.js';
import type { HostedQueue } from './hosted-queue.js';
import type { SubscriberSet } from './subscribers.js';

/** The stats path's message. */
export type StatsMessage = Extract<ChildControl, { type: 'queueStats' }>;

/**
 * What the child reports on the stats path: the counters of every queue it
 * writes into, of the queue it hosts (a consumer: with what it took and the
 * latency of its frames), and its worker's own.
 */
export function collectQueueStats(subscribers: SubscriberSet, hosted: HostedQueue | undefined, control: LoopControl): StatsMessage {
  const stats: QueueStats[] = subscribers.stats();
  if (hosted) stats.push(hosted.stats(control.buffered));
  return { type: 'queueStats', stats, worker: control.metrics.report() };
}

/** Sends this child's diagnostics to the main process's logger as well (it has one). */
export function forwardDiagnostics(send: (message: Extract<ChildControl, { type: 'log' }>) => void): void {
  forwardLogs((level, message, fields) => send({ type: 'log', level, message, fields }));
}
