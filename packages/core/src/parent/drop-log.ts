import { DROP_CAUSES, type DropCounts } from '@prodcon/ipc';
import { log, logging } from '../shared/logger.js';

/** At most one drop diagnostic per queue in this many ms: drops come in bursts, the log must not. */
const DROP_LOG_INTERVAL_MS = 1000;
const lastLogged = new Map<string, number>();

/**
 * Logs that a queue dropped items, when a process's counters for it rose
 * (the stats path: every 250 ms at most), at most once a second per queue.
 */
export function logDrops(queueName: string, before: Partial<DropCounts> | undefined, after: Partial<DropCounts>): void {
  if (!logging()) return;
  const rose: Partial<DropCounts> = {};
  let any = false;
  for (const cause of DROP_CAUSES) {
    const more = (after[cause] ?? 0) - (before?.[cause] ?? 0);
    if (more > 0) {
      rose[cause] = more;
      any = true;
    }
  }
  if (!any) return;
  const now = performance.now();
  if (now - (lastLogged.get(queueName) ?? -Infinity) < DROP_LOG_INTERVAL_MS) return;
  lastLogged.set(queueName, now);
  log('warn', `${queueName} dropped items`, { queue: queueName, dropped: rose });
}
