import type { DropCounts } from './drops.js';

/**
 * The writing end of a queue, wherever the queue lives: in this process
 * (`LocalWriter`) or behind a socket (`QueueWriter`). Producers, the main
 * process and converters all put through this one interface. Its reading
 * counterpart is `QueueSource` (source.ts): a transport is one QueueSink
 * implementation plus one QueueSource implementation.
 */
export type WriterState =
  /** No endpoint is known (the consumer is not running): puts are refused. */
  | 'unbound'
  /** Connecting to the host: lossy puts buffer, lossless puts wait for the first credits. */
  | 'connecting'
  | 'ready'
  /** The host refuses items for now (its queue was set not ready): puts are refused. */
  | 'notReady'
  /** The host is draining: this writer has flushed, sent its end and accepts nothing more. */
  | 'ended'
  /** The host went away. */
  | 'gone';

/** What became of a put: sent (accepted), refused (not ready, ended, gone), or noCredit (full: wait and retry). */
export type PutOutcome = 'sent' | 'refused' | 'noCredit';

/** A queue's writing end (see above). */
export interface QueueSink {
  readonly queueId: string;
  readonly lossy: boolean;
  readonly state: WriterState;
  /** Credits held (lossless); Infinity for lossy sinks. */
  readonly credits: number;
  /** Puts refused, plus values accepted and then dropped on the way (lossy overflow, cleared, lost). */
  readonly dropped: number;
  /** The same, by cause. */
  readonly drops: Readonly<DropCounts>;
  /** Values accepted by `tryPut`. */
  readonly accepted: number;
  /**
   * Puts without waiting. `noCredit` means a lossless queue is full: call
   * `whenWritable()` and try again.
   * @throws CodecError when the value cannot cross a process boundary.
   */
  tryPut(value: unknown): PutOutcome;
  /** Resolves when a put would not return `noCredit` (credit arrived, or the sink stopped accepting). */
  whenWritable(): Promise<void>;
  /** Flushes what is pending, tells the host nothing more will come, and detaches. */
  end(): Promise<void>;
  /**
   * Sends what `tryPut` left pending now rather than at the end of the turn:
   * for a loop about to sleep, whose item would otherwise wait for the rest of
   * the turn. Sinks that send at once need not have it.
   */
  flush?(): void;
}

/** Puts one value, waiting for room on a full lossless queue. Resolves false when refused. */
export async function putWhenWritable(sink: QueueSink, value: unknown): Promise<boolean> {
  for (;;) {
    const outcome = sink.tryPut(value);
    if (outcome !== 'noCredit') return outcome === 'sent';
    await sink.whenWritable();
  }
}

/** A sink that stops a lossless producer: ready (or connecting) with no credit left. */
export function isBlocking(sink: QueueSink): boolean {
  return !sink.lossy && (sink.state === 'ready' || sink.state === 'connecting') && sink.credits <= 0;
}
