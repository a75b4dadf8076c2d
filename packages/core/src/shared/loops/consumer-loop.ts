import type { WorkLoopControl } from '../hooks.js';

/**
 * The framework's consumer loop. Items move from the queue into a buffer of
 * at most `maxBufferSize`; `work(buffer)` runs when the buffer is full, or when
 * `workTimeout` ms have passed since the last flush with at least one item
 * buffered: by timer, not only when another item arrives. It waits on events
 * (an item, the flush timer, a stop) and never polls.
 *
 * - `stopAtQueueEnd`: the queue stops accepting, writers flush and end, and
 *   the loop works through everything (full batches, no waiting for the
 *   timer) before it returns; then onStop runs.
 * - `stop()`: the items already in the buffer get one final `work` call; what
 *   is still queued behind them is discarded and counted in the queue's
 *   `dropped`.
 */
export async function consumerLoop(control: WorkLoopControl): Promise<void> {
  const queue = control.queue;
  if (!queue) throw new Error('consumerLoop runs only in a consumer (it has no queue)');
  await control.runOnStart();
  const maxBufferSize = control.maxBufferSize;
  const workTimeout = control.workTimeout;
  let buffer: unknown[] = [];
  let lastFlush = performance.now();
  let writersEnded: Promise<void> | undefined;
  let writersAllEnded = false;
  // One flush timer per flush cycle, armed when the first item is buffered: not one per wait,
  // which at low rates would be one timer per arriving item.
  let flushTimer: NodeJS.Timeout | undefined;
  let flushDue: Promise<void> | undefined;
  const disarm = () => {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = undefined;
    flushDue = undefined;
  };

  const flush = async () => {
    disarm();
    const batch = buffer;
    buffer = [];
    control.buffered = 0;
    lastFlush = performance.now();
    let result = control.runWork(batch);
    if (result instanceof Promise) result = await result;
    control.acknowledge(batch.length);
    if (result !== undefined) {
      const publishing = control.publish(result);
      if (publishing) await publishing;
      const reporting = control.reportResult(result);
      if (reporting) await reporting;
    }
  };

  for (;;) {
    const state = control.state;
    if (state === 'stopped') break;
    if (buffer.length < maxBufferSize && queue.size > 0) {
      const taken = queue.take(maxBufferSize - buffer.length);
      buffer = buffer.length === 0 ? taken : buffer.concat(taken);
      control.buffered = buffer.length;
    }

    const draining = state === 'stopAtQueueEnd';
    if (
      buffer.length >= maxBufferSize ||
      (buffer.length > 0 && (draining || performance.now() - lastFlush >= workTimeout))
    ) {
      await flush();
      continue;
    }

    if (draining) {
      writersEnded ??= queue.whenWritersEnded().then(() => {
        writersAllEnded = true;
      });
      if (writersAllEnded && queue.size === 0) break;
    }

    // Nothing to do now: wait for an item, the flush deadline, the writers' end, or a state change.
    const waits: Array<Promise<void>> = [queue.whenItems()];
    if (draining && writersEnded) waits.push(writersEnded);
    if (buffer.length > 0 && !draining) {
      flushDue ??= new Promise((resolve) => {
        flushTimer = setTimeout(resolve, Math.max(0, lastFlush + workTimeout - performance.now()));
      });
      waits.push(flushDue);
    }
    control.flushSubscribers(); // the turn ends here anyway: what work() published leaves now
    await firstOf(waits, control);
  }

  disarm();
  // Stopped: one last call with what was already buffered.
  if (buffer.length > 0) await flush();
}

/**
 * Resolves when one of `waits` resolves or the state changes. The state is
 * followed through a listener removed afterwards, not by racing its
 * long-lived promise: that would leave one reaction on it per wait (measured:
 * ~300 bytes each, 300 MB per million batches).
 */
function firstOf(waits: Array<Promise<void>>, control: WorkLoopControl): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribe = control.onStateChange(done);
    function done(): void {
      unsubscribe();
      resolve();
    }
    for (const wait of waits) void wait.then(done);
  });
}
