import type { DropCounts } from './drops.js';

/**
 * The reading end of a queue, as the consumer loop and the child runtime use
 * it: no sockets, no frames, no credits in sight. `QueueHost` implements it
 * for queues hosted in the consuming process and fed over Unix sockets; a
 * queue kept by a broker elsewhere (Redis Streams, say) would be a second
 * implementation. Its writing counterpart is `QueueSink` (sink.ts): a
 * transport is one QueueSink implementation plus one QueueSource
 * implementation.
 *
 * States: a source starts ready (or not ready), may be switched between the
 * two, drains after `close()` and is gone after `shutdown()`.
 */
export interface QueueSource {
  /** The queue's id: writers name it to reach this source. */
  readonly queueId: string;
  /**
   * Items the queue holds at most. Lossless: items queued, taken and not yet
   * acknowledged, and credited to writers never add up to more. Lossy: the
   * oldest queued item is dropped to make room beyond it.
   */
  readonly capacity: number;
  /** Lossy queues drop their oldest items when full; lossless ones make writers wait. */
  readonly lossy: boolean;
  /** Items queued now, ready to `take` (taken items no longer count). */
  readonly size: number;
  /**
   * Items dropped at this end: overwritten (lossy), cleared by `setNotReady`
   * or `discard`, or arriving after the source stopped accepting.
   */
  readonly dropped: number;
  /** The same, by cause (overflow, refused, cleared, stopped). */
  readonly drops: Readonly<DropCounts>;

  /**
   * Removes and returns up to `max` items, oldest first; an empty array when
   * none is queued (it never waits: see `whenItems`). On a lossless source
   * that does not acknowledge, the capacity they held is free again: while
   * the source is ready, it goes to the writers at once.
   */
  take(max: number): unknown[];
  /**
   * Resolves at once when items are queued or the source is gone; otherwise
   * at the next arrival, `setNotReady` or `shutdown`. A wake-up promises no
   * item: check `size` again.
   */
  whenItems(): Promise<void>;
  /**
   * The oldest `count` taken items were consumed. An acknowledging source
   * (a pool member, at-least-once) tells their writers to forget them and
   * frees their capacity; writers deliver unacknowledged items elsewhere if
   * this source dies. A no-op unless the source acknowledges.
   */
  acknowledge(count: number): void;
  /** Accepts items again after `setNotReady`; a no-op in any other state. */
  setReady(): void;
  /**
   * Refuses items: writers are told, their credits are withdrawn, and what is
   * queued is cleared (counted in `dropped`). A no-op once gone.
   */
  setNotReady(): void;
  /**
   * Drops what is queued (counted in `dropped` under `cause`: `cleared` by
   * default, `stopped` when its consumer stops) without changing the state;
   * returns how many.
   */
  discard(cause?: 'cleared' | 'stopped'): number;
  /**
   * Starts draining: writers send what they already hold, then their end,
   * and accept nothing more; items already credited are still accepted. See
   * `whenWritersEnded`. A no-op when closing or gone.
   */
  close(): void;
  /**
   * Resolves once the source is closing (or gone) and every writer has sent
   * its end or left. Before `close` it waits for it.
   */
  whenWritersEnded(): Promise<void>;
  /**
   * Stops for good: writers are told the queue is gone and are cut off,
   * `whenItems` waiters wake. Items still queued stay takeable; `discard`
   * them first to count them as dropped.
   */
  shutdown(): void;
}
