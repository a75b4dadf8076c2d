import { Signal } from '@prodcon/ipc';
import type { WorkerState } from '../shared/protocol.js';

/**
 * The child's view of its worker's state (`started`, `stopAtQueueEnd`,
 * `stopped`) and the abort signal that a stop fires. The main process asks
 * for changes; the loop reads the state between hooks and waits on changes
 * (of the state, or of the steering: a pause, a new period).
 */
export class RunState {
  #state: WorkerState = 'started';
  #abort = new AbortController();
  /** Read once: AbortController.signal is a getter, and the hot path asks for it per item. */
  readonly signal: AbortSignal = this.#abort.signal;
  #changed = new Signal();
  #listeners = new Set<() => void>();

  get current(): WorkerState {
    return this.#state;
  }

  set(state: WorkerState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.changed();
  }

  /** Something the loop waits on changed (the state, a pause, the period): wake it. */
  changed(): void {
    this.#changed.notify();
    for (const listener of [...this.#listeners]) listener();
  }

  /**
   * Calls `listener` at every change until the returned function is called.
   * For waits repeated many times: unlike racing `whenChanged()` each time,
   * it leaves nothing behind once unsubscribed.
   */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Stops: the state becomes `stopped` and the signal aborts. Returns false if it already was stopped. */
  stop(): boolean {
    if (this.#state === 'stopped') return false;
    this.set('stopped');
    this.#abort.abort();
    return true;
  }

  /** Resolves at the next change (one shared promise: for occasional waits, see onChange). */
  whenChanged(): Promise<void> {
    return this.#changed.wait();
  }
}
