/** One entry read from the stream: how many of its items were taken, and acknowledged. */
interface EntryRecord {
  id: string;
  n: number;
  untaken: number;
  unacked: number;
}

/**
 * Room to free at the engine: `n` items of entry `id`; `whole` when the
 * entry is done with (XACK, XDEL), else only its room is freed (a plain
 * consumer frees each item's room as it takes it).
 */
export interface Finished {
  id: string;
  n: number;
  whole: boolean;
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

  /** The oldest `count` queued items were taken; returns the room to free (plain consumers: every item taken). */
  taken(count: number): Finished[] {
    const freed = this.#take(count);
    if (this.acknowledging) return [];
    this.#finish((record) => record.untaken === 0);
    return freed;
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
    return this.#finish((record) => record.unacked === 0).map((record) => ({ id: record.id, n: record.n, whole: true }));
  }

  /**
   * `count` queued items were dropped (cleared): they are done with, as
   * if taken and acknowledged at once. Returns the entries now finished.
   */
  cleared(count: number): Finished[] {
    if (!this.acknowledging) return this.taken(count);
    for (let index = this.#taking; index < this.#records.length && count > 0; index++) {
      const record = this.#records[index];
      record.unacked -= Math.min(count, record.untaken);
      count -= Math.min(count, record.untaken);
    }
    this.#take(Number.MAX_SAFE_INTEGER);
    return this.#finish((record) => record.unacked === 0).map((record) => ({ id: record.id, n: record.n, whole: true }));
  }

  /** Forgets every record (their entries belong to a stream that no longer exists). */
  forget(): void {
    this.#records = [];
    this.#head = 0;
    this.#taking = 0;
  }

  /** Takes `count` items oldest first; returns what each entry gave (whole: its last items). */
  #take(count: number): Finished[] {
    const freed: Finished[] = [];
    while (count > 0 && this.#taking < this.#records.length) {
      const record = this.#records[this.#taking];
      const taken = Math.min(count, record.untaken);
      record.untaken -= taken;
      count -= taken;
      if (taken > 0) freed.push({ id: record.id, n: taken, whole: record.untaken === 0 });
      if (record.untaken === 0) this.#taking++;
    }
    return freed;
  }

  /** Drops the records at the front that are `done`, and returns them. */
  #finish(done: (record: EntryRecord) => boolean): EntryRecord[] {
    const finished: EntryRecord[] = [];
    while (this.#head < this.#taking && done(this.#records[this.#head])) finished.push(this.#records[this.#head++]);
    if (this.#head > 1024 && this.#head * 2 > this.#records.length) {
      this.#records = this.#records.slice(this.#head);
      this.#taking -= this.#head;
      this.#head = 0;
    }
    return finished;
  }
}
