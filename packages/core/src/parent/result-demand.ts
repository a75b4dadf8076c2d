/**
 * Whether anyone in the main process wants a worker's results: an
 * `onResult` override, a 'result' listener or an open `results()` iterator.
 * The child sends results only while someone does, so that results nobody
 * hears cost nothing.
 */
export class ResultDemand {
  #compute: () => boolean;
  #tell: (wanted: boolean) => void;
  #wanted = false;

  /**
   * @param compute whether results are wanted now.
   * @param tell tells the running child (if any) that this changed.
   */
  constructor(compute: () => boolean, tell: (wanted: boolean) => void) {
    this.#compute = compute;
    this.#tell = tell;
  }

  /** The demand now, as a new run's child starts with it. */
  current(): boolean {
    this.#wanted = this.#compute();
    return this.#wanted;
  }

  /** Looks again (a listener or iterator came or went) and tells the child when the answer changed. */
  update(): void {
    const wanted = this.#compute();
    if (wanted === this.#wanted) return;
    this.#wanted = wanted;
    this.#tell(wanted);
  }
}
