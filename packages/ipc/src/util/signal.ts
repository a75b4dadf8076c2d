/**
 * "Wake everyone waiting for the next time this happens": all waiters share
 * one promise, created on the first wait and settled by notify(). Waiting in a
 * loop therefore costs no resolver per call and never piles waiters up.
 */
export class Signal {
  #next: { promise: Promise<void>; resolve: () => void } | undefined;

  /** Resolves at the next notify(). */
  wait(): Promise<void> {
    if (!this.#next) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      this.#next = { promise, resolve };
    }
    return this.#next.promise;
  }

  /** Wakes every current waiter (waits started afterwards wait for the next notify). */
  notify(): void {
    const next = this.#next;
    if (!next) return;
    this.#next = undefined;
    next.resolve();
  }
}
