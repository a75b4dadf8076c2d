import type { OutgoingEntry } from './entries.js';
import type { WriterReply } from './writer-call.js';

/** How the run of a queue changed under a writer (see WriterRun.follow). */
export interface RunChange {
  /** The queue was re-created after a reset (Redis restarted without persistence). */
  reset: boolean;
  /** Items this writer had had admitted into the run that is gone, and that no host read: lost with it. */
  lost: number;
}

/**
 * The run of a queue a writer writes into, as the engine's answers show it:
 * its epoch, whether the writer registered in it (it then owes the engine
 * its end), and the writer's sequence number of its last item the engine
 * admitted. An epoch that changes under a writer is a new run (its consumer
 * started again) or, when the answer carries what a host read of this writer
 * before the queue vanished, the queue re-created after a reset: what the
 * engine had admitted of this writer and no host read is then counted
 * exactly.
 */
export class WriterRun {
  /** The writer registered in this run (the engine admitted a call of it): its end is owed. */
  registered = false;
  #epoch: string | undefined;
  #admittedSeq = 0;
  /** #admittedSeq when this run began: what a reset can have lost of this writer came after it. */
  #epochStartSeq = 0;

  /** Some run was seen: a queue that vanishes after this is waited for (its host re-creates it), not refused. */
  get seen(): boolean {
    return this.#epoch !== undefined;
  }

  /** Follows the run an answer comes from: undefined when it is the one already followed. */
  follow(reply: WriterReply): RunChange | undefined {
    if (reply.epoch === this.#epoch) return undefined;
    const reset = this.#epoch !== undefined && reply.resetSeq !== '';
    // Admitted into the old run and never read by a host: lost with it.
    const lost = reset ? Math.max(0, this.#admittedSeq - Math.max(Number(reply.resetSeq), this.#epochStartSeq)) : 0;
    this.#epoch = reply.epoch;
    this.#epochStartSeq = this.#admittedSeq;
    this.registered = false;
    return { reset, lost };
  }

  /** The engine admitted `entries` (the first ones of a call, in order). */
  admitted(entries: readonly OutgoingEntry[]): void {
    const last = entries.at(-1);
    if (last) this.#admittedSeq = Math.max(this.#admittedSeq, last.first + last.n - 1);
  }
}
