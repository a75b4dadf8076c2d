import { inspectValue, isBlocking, type CodecName, type Inspection } from '@prodcon/ipc';
import { writerFor, type BindingWriter, type BindingWriterOptions } from '../shared/binding-writer.js';
import type { QueueBinding, QueueStats } from '../shared/protocol.js';

/**
 * The queues a worker writes its output into, one QueueWriter each. Every
 * subscriber gets every item once. The loop waits (before producing more)
 * while a lossless subscriber has no credit; lossy subscribers never make it
 * wait.
 */
export class SubscriberSet {
  #writers = new Map<string, BindingWriter>();
  /** The writers as an array, rebuilt when they change: the per-item paths iterate it. */
  #list: BindingWriter[] = [];
  /**
   * Every subscriber refused the last item (none is hosted, or none accepts
   * now): the producer loop backs off as if idle rather than produce items
   * only to have them refused, as fast as it can.
   */
  refusing = false;
  #options: BindingWriterOptions;

  /**
   * @param connectRetryMs how long a refused connection to a subscriber's host is retried
   * @param onUnreachable a subscriber's host refused every connection that long: the worker fails with it
   */
  constructor(writerName: string, codec: CodecName, connectRetryMs: number, onUnreachable: (error: Error) => void) {
    this.#options = { writerName, codec, connectRetryMs, onUnreachable };
  }

  get size(): number {
    return this.#writers.size;
  }

  /** Applies the main process's view of the subscriber queues (new, moved, gone). */
  update(bindings: QueueBinding[]): void {
    const listed = new Set<string>();
    const options = this.#options;
    for (const binding of bindings) {
      listed.add(binding.queueId);
      this.#writers.set(binding.queueId, writerFor(binding, options, this.#writers.get(binding.queueId)));
    }
    for (const [queueId, writer] of this.#writers) {
      if (!listed.has(queueId)) {
        void writer.end();
        this.#writers.delete(queueId);
      }
    }
    this.#list = [...this.#writers.values()];
  }

  /**
   * Resolves when no lossless subscriber blocks, or when `signal` aborts
   * (returns undefined at once when none blocks: the fast path).
   */
  whenWritable(signal: AbortSignal): void | Promise<void> {
    const list = this.#list;
    for (let index = 0; index < list.length; index++) {
      if (isBlocking(list[index])) return this.#waitWritable(signal);
    }
  }

  async #waitWritable(signal: AbortSignal): Promise<void> {
    for (;;) {
      let blocking: BindingWriter | undefined;
      for (const writer of this.#writers.values()) {
        if (isBlocking(writer)) {
          blocking = writer;
          break;
        }
      }
      if (!blocking || signal.aborted) return;
      await untilAborted(blocking.whenWritable(), signal);
    }
  }

  /**
   * Puts `item` into every subscriber. A lossless subscriber that lost its
   * credit meanwhile (it is reconnecting) is waited for, so nothing is skipped.
   * @throws CodecError when the item cannot cross a process boundary.
   */
  publish(item: unknown, signal: AbortSignal): void | Promise<void> {
    const list = this.#list;
    if (list.length === 0) return;
    // Walk the item once, whatever the number of subscribers (and fail before any of them took it).
    const inspection = inspectValue(item, 'item');
    let waiting: BindingWriter[] | undefined;
    let refused = 0;
    for (let index = 0; index < list.length; index++) {
      const writer = list[index];
      const outcome = writer.tryPut(item, inspection);
      if (outcome === 'noCredit') (waiting ??= []).push(writer);
      else if (outcome === 'refused') refused++;
    }
    this.refusing = refused === list.length;
    if (waiting) return this.#publishWhenWritable(waiting, item, inspection, signal);
  }

  async #publishWhenWritable(
    writers: BindingWriter[],
    item: unknown,
    inspection: Inspection,
    signal: AbortSignal,
  ): Promise<void> {
    for (const writer of writers) {
      for (;;) {
        await untilAborted(writer.whenWritable(), signal);
        if (writer.tryPut(item, inspection) !== 'noCredit') break;
        if (signal.aborted) {
          writer.countDrop('stopped'); // stopping with a full lossless subscriber: the item is dropped, and counted
          break;
        }
      }
    }
  }

  /** Sends what publish() left pending now, not at the end of the turn (a loop about to sleep). */
  flush(): void {
    for (const writer of this.#list) writer.flush?.();
  }

  /** Flushes every writer and tells each host nothing more will come. */
  async endAll(): Promise<void> {
    await Promise.all([...this.#writers.values()].map((writer) => writer.end()));
  }

  stats(): QueueStats[] {
    return [...this.#writers.values()].map((writer) =>
      'engineDrops' in writer
        ? { queueId: writer.queueId, drops: writer.drops, engineDrops: writer.engineDrops }
        : { queueId: writer.queueId, drops: writer.drops },
    );
  }
}

/** Resolves with `promise`, or as soon as `signal` aborts. */
function untilAborted(promise: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = () => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
