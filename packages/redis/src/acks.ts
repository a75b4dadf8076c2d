import { logTransportWarning } from '@prodcon/ipc';
import { redisErrors } from './errors.js';
import type { Finished } from './records.js';
import type { SinkTarget } from './sink.js';

/**
 * A host's acknowledgements on their way to the engine: what was freed in
 * one event-loop turn goes in one `ack` call (room freed, whole entries
 * acknowledged and deleted, items cleared counted).
 */
export class AckBatch {
  #target: SinkTarget;
  #onDropped: (total: number) => void;
  #quiet: () => boolean;
  #entries: Finished[] = [];
  #cleared = 0;
  #scheduled = false;

  /**
   * @param onDropped receives the engine's drop total from each answer.
   * @param quiet true when failures need no warning any more (the host is gone).
   */
  constructor(target: SinkTarget, onDropped: (total: number) => void, quiet: () => boolean) {
    this.#target = target;
    this.#onDropped = onDropped;
    this.#quiet = quiet;
  }

  /** Adds what was freed (and `cleared` items dropped); sends in this turn's call, or at once with `now`. */
  add(finished: Finished[], cleared = 0, now = false): void {
    for (const entry of finished) this.#entries.push(entry);
    this.#cleared += cleared;
    if (now) return this.flush();
    if (this.#scheduled || (this.#entries.length === 0 && this.#cleared === 0)) return;
    this.#scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Entries recorded before a reset belong to a stream that no longer exists. */
  forget(): void {
    this.#entries = [];
  }

  flush(): void {
    this.#scheduled = false;
    const cleared = this.#cleared;
    if (this.#entries.length === 0 && cleared === 0) return;
    const args: Array<string | number> = [cleared];
    for (const entry of this.#entries) args.push(entry.id, entry.n, entry.whole ? '1' : '0');
    this.#entries = [];
    this.#cleared = 0;
    this.#target.endpoint.run('pcAck', this.#target.keys, args).then(
      (reply) => this.#onDropped(Number((reply as [number, number])[1])),
      (error: unknown) => {
        if (!this.#quiet()) logTransportWarning(redisErrors.scriptFailed('an acknowledgement', this.#target.queue, error).message);
      },
    );
  }
}
