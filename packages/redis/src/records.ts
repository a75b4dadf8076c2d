/** One entry read from the stream: how many of its items were taken, and acknowledged. */
interface EntryRecord {
  id: string;
  n: number;
  untaken: number;
  unacked: number;
}

/** An entry whose items are all done with: acknowledge it to the engine (XACK, XDEL, free its room). */
export interface Finished {
  id: string;
  n: number;
}

/**
 * Which stream entries a host's items came from, so that the engine learns
 * when an entry is done with: when all of its items were taken (a plain
 * consumer: taking frees room at once), or acknowledged after `work` (a pool
 * member: at-least-once). Items are taken and acknowledged oldest first, as
 * the consumer loop does.
 */
export class EntryRecords {
  readonly acknowledging: boolean;
  #records: EntryRecord[] = [];
  #head = 0;
  /** The first record with items still untaken. */
  #taking = 0;

  constructor(acknowledging: boolean) {
    this.acknowledging = acknowledging;
  }

  /** Records in play. */
  get size(): number {
    return this.#records.length - this.#head;
  }

  /** An entry of `n` items arrived. */
  read(id: string, n: number): void {
    this.#records.push({ id, n, untaken: n, unacked: n });
  }

  /** The oldest `count` queued items were taken; returns the entries now finished (plain consumers). */
  taken(count: number): Finished[] {
    this.#take(count);
    return this.acknowledging ? [] : this.#finish((record) => record.untaken === 0);
  }

  /** The oldest `count` taken items were consumed; returns the entries now finished (pool members). */
  acknowledged(count: number): Finished[] {
    if (!this.acknowledging) return [];
    for (let index = this.#head; index < this.#records.length && count > 0; index++) {
      const record = this.#records[index];
      const done = Math.min(count, record.unacked - record.untaken);
      record.unacked -= done;
      count -= done;
    }
    return this.#finish((record) => record.unacked === 0);
  }

  /**
   * `count` queued items were dropped (cleared): they are done with, as
   * if taken and acknowledged at once. Returns the entries now finished.
   */
  cleared(count: number): Finished[] {
    while (count > 0 && this.#taking < this.#records.length) {
      const record = this.#records[this.#taking];
      const dropped = Math.min(count, record.untaken);
      record.untaken -= dropped;
      record.unacked -= dropped;
      count -= dropped;
      if (record.untaken === 0) this.#taking++;
    }
    return this.#finish((record) => record.untaken === 0 && (!this.acknowledging || record.unacked === 0));
  }

  /** Forgets every record (their entries belong to a stream that no longer exists). */
  forget(): void {
    this.#records = [];
    this.#head = 0;
    this.#taking = 0;
  }

  #take(count: number): void {
    while (count > 0 && this.#taking < this.#records.length) {
      const record = this.#records[this.#taking];
      const taken = Math.min(count, record.untaken);
      record.untaken -= taken;
      count -= taken;
      if (record.untaken === 0) this.#taking++;
    }
  }

  #finish(done: (record: EntryRecord) => boolean): Finished[] {
    const finished: Finished[] = [];
    while (this.#head < this.#taking && done(this.#records[this.#head])) {
      const record = this.#records[this.#head++];
      finished.push({ id: record.id, n: record.n });
    }
    if (this.#head > 1024 && this.#head * 2 > this.#records.length) {
      this.#records = this.#records.slice(this.#head);
      this.#taking -= this.#head;
      this.#head = 0;
    }
    return finished;
  }
}
