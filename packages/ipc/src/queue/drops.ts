/**
 * Why an item was dropped: every item a queue does not deliver is counted
 * under exactly one cause, wherever that happened (the writer, the host).
 *
 * - `overflow`: a lossy queue (or a lossy writer's outgoing buffer) was full: its oldest item made room;
 * - `refused`: a put while the queue did not accept items (not ready, not hosted, draining, gone);
 * - `cleared`: queued (or on its way) when the queue was set not ready or cleared;
 * - `stopped`: still queued when its consumer stopped;
 * - `lost`: accepted by a writer, and its consumer died (or its connection broke) before it got there.
 */
export type DropCause = 'overflow' | 'refused' | 'cleared' | 'stopped' | 'lost';

/** Items dropped, by cause. */
export type DropCounts = Record<DropCause, number>;

/** Every cause, in a stable order (for reports and exporters). */
export const DROP_CAUSES: readonly DropCause[] = ['overflow', 'refused', 'cleared', 'stopped', 'lost'];

/** A fresh set of counters at zero. */
export function noDrops(): DropCounts {
  return { overflow: 0, refused: 0, cleared: 0, stopped: 0, lost: 0 };
}

/** The sum of every cause. */
export function totalDrops(drops: Readonly<DropCounts>): number {
  return drops.overflow + drops.refused + drops.cleared + drops.stopped + drops.lost;
}

/** Adds `more` into `into` (cause by cause); returns `into`. */
export function addDrops(into: DropCounts, more: Readonly<Partial<DropCounts>>): DropCounts {
  for (const cause of DROP_CAUSES) into[cause] += more[cause] ?? 0;
  return into;
}

/**
 * Raises each cause of `into` to at least `floor`'s; returns `into`. Two
 * counts of the same drops from different vantage points (this process's,
 * an engine's that every process reports to) are each a lower bound: the
 * larger is the better one, cause by cause.
 */
export function maxDrops(into: DropCounts, floor: Readonly<Partial<DropCounts>>): DropCounts {
  for (const cause of DROP_CAUSES) into[cause] = Math.max(into[cause], floor[cause] ?? 0);
  return into;
}
