/**
 * Most credits one writer holds at once. Enough for a full-speed writer (a
 * credit round trip takes well under a millisecond), small enough that an
 * idle writer cannot hoard the capacity that other writers need.
 */
export const MAX_WINDOW = 65_536;

/** One writer's credit account, as the ledger keeps it. */
export interface CreditAccount {
  /** Credits granted and not yet used (lossless). */
  outstanding: number;
  /** The writer sent its end: it no longer counts toward the window, and gets no top-ups or revokes. */
  ended: boolean;
  /** A revoke was sent and its answer has not come back yet. */
  revoking?: boolean;
  /** The writer lives in this process: its credits exist only here, so a revoke takes effect at once. */
  readonly local: boolean;
}

/** Credits the ledger has recorded for a writer; the host tells the writer. */
export interface Grant<W> {
  readonly writer: W;
  readonly credits: number;
}

/** Remote writers asked to give back what they hold beyond `keep`. */
export interface Revocation<W> {
  readonly keep: number;
  readonly writers: W[];
}

/**
 * The credit arithmetic of a lossless queue, with no sockets and no frames:
 * the host asks it what to grant or revoke, then does the I/O. Writers share
 * the capacity not taken by items: `free = capacity − occupied − outstanding`,
 * where `occupied` (passed in by the host) counts the items queued plus those
 * taken and not yet acknowledged. Each writer holds at most its window, a fair
 * share of the capacity.
 *
 * Grants are recorded here when they are decided (`outstanding` grows at
 * once), so a writer's credits are never promised twice.
 */
export class CreditLedger<W extends CreditAccount = CreditAccount> {
  readonly capacity: number;
  #writers = new Set<W>();
  #rotation = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** Every writer with an account (lossy queues keep them too, at zero), in the order they joined. */
  get writers(): ReadonlySet<W> {
    return this.#writers;
  }

  /** Opens an account for a new writer (it holds nothing until granted). */
  join(writer: W): void {
    this.#writers.add(writer);
  }

  /** Closes a writer's account; its outstanding credits are free again. False when it had none. */
  leave(writer: W): boolean {
    return this.#writers.delete(writer);
  }

  /** Each writer's window: `max(1, min(MAX_WINDOW, floor(capacity / writers not ended)))`. */
  window(): number {
    let writers = 0;
    for (const writer of this.#writers) if (!writer.ended) writers++;
    return Math.max(1, Math.min(MAX_WINDOW, Math.floor(this.capacity / Math.max(1, writers))));
  }

  /** Free capacity not yet promised to any writer. */
  free(occupied: number): number {
    let promised = occupied;
    for (const writer of this.#writers) promised += writer.outstanding;
    return Math.max(0, this.capacity - promised);
  }

  /** Grants `writer` credits up to its window, within what is free (a newcomer, a state change); returns how many. */
  grant(writer: W, occupied: number): number {
    const credits = Math.max(0, Math.min(this.window() - writer.outstanding, this.free(occupied)));
    writer.outstanding += credits;
    return credits;
  }

  /** `writer` used `count` credits (its items arrived). */
  spend(writer: W, count: number): void {
    writer.outstanding = Math.max(0, writer.outstanding - count);
  }

  /** `writer` answered a revoke by giving back `credits`. */
  returned(writer: W, credits: number): void {
    writer.revoking = false;
    this.spend(writer, credits);
  }

  /** Cancels every writer's credits (the queue stopped accepting). */
  cancelAll(): void {
    for (const writer of this.#writers) writer.outstanding = 0;
  }

  /**
   * Tops writers up to their window after capacity was freed. Only writers
   * that spent a quarter of their window (or all of it) are topped up, so
   * grants stay coarse; each call starts one writer further along, so that
   * when capacity runs short the same writer is not always served first.
   * Returns the grants, in the order they were made.
   */
  topUp(occupied: number): Array<Grant<W>> {
    const grants: Array<Grant<W>> = [];
    const window = this.window();
    const threshold = Math.max(1, Math.floor(window / 4));
    const writers = [...this.#writers];
    const start = this.#rotation++ % Math.max(1, writers.length);
    for (let offset = 0; offset < writers.length; offset++) {
      const writer = writers[(start + offset) % writers.length];
      if (writer.ended) continue;
      const want = window - writer.outstanding;
      if (want < threshold && writer.outstanding > 0) continue;
      const credits = Math.min(want, this.free(occupied));
      if (credits <= 0) continue;
      writer.outstanding += credits;
      grants.push({ writer, credits });
    }
    return grants;
  }

  /**
   * Brings writers holding more than the current window down to it, so that
   * a writer arriving at a queue whose capacity others hold (idle, or simply
   * first) gets its share without waiting for consumption. Local writers are
   * cut at once; remote writers not already asked are marked `revoking` and
   * returned, for the host to ask them to keep at most `keep`.
   */
  revokeExcess(): Revocation<W> {
    const keep = this.window();
    const writers: W[] = [];
    for (const writer of this.#writers) {
      if (writer.ended || writer.outstanding <= keep) continue;
      if (writer.local) {
        writer.outstanding = keep;
        continue;
      }
      if (writer.revoking) continue;
      writer.revoking = true;
      writers.push(writer);
    }
    return { keep, writers };
  }
}
