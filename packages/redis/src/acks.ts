import { addDrops, logTransportWarning, noDrops, totalDrops, type DropCounts } from '@prodcon/ipc';
import type { QueueTarget } from './connection.js';
import { dropList, parseDrops } from './drops.js';
import { redisErrors } from './errors.js';
import type { Finished } from './records.js';

/**
 * A host's acknowledgements on their way to the engine: what was freed in
 * one event-loop turn goes in one `ack` call (room freed, whole entries
 * acknowledged and deleted, and the items the host dropped, by cause).
 */
export class AckBatch {
  #target: QueueTarget;
  #onDrops: (drops: DropCounts) => void;
  #quiet: () => boolean;
  #entries: Finished[] = [];
  #drops = noDrops();
  #scheduled = false;

  /**
   * @param onDrops receives the engine's drops by cause from each answer.
   * @param quiet true when failures need no warning any more (the host is gone).
   */
  constructor(target: QueueTarget, onDrops: (drops: DropCounts) => void, quiet: () => boolean) {
    this.#target = target;
    this.#onDrops = onDrops;
    this.#quiet = quiet;
  }

  /** Adds what was freed (and items the host dropped); sends in this turn's call, or at once with `now`. */
  add(finished: Finished[], dropped: Partial<DropCounts> = {}, now = false): void {
    for (const entry of finished) this.#entries.push(entry);
    addDrops(this.#drops, dropped);
    if (now) return this.flush();
    if (this.#scheduled || this.#empty()) return;
    this.#scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Entries recorded before a reset belong to a stream that no longer exists. */
  forget(): void {
    this.#entries = [];
  }

  flush(): void {
    this.#scheduled = false;
    if (this.#empty()) return;
    const args: Array<string | number> = [dropList(this.#drops)];
    for (const entry of this.#entries) args.push(entry.id, entry.n, entry.whole ? '1' : '0');
    this.#entries = [];
    this.#drops = noDrops();
    this.#target.endpoint.run('pcAck', this.#target.keys, args).then(
      (reply) => this.#onDrops(parseDrops((reply as [number, unknown])[1])),
      (error: unknown) => {
        if (!this.#quiet()) logTransportWarning(redisErrors.scriptFailed('an acknowledgement', this.#target.queue, error).message);
      },
    );
  }

  #empty(): boolean {
    return this.#entries.length === 0 && totalDrops(this.#drops) === 0;
  }
}
