import { Signal } from '@prodcon/ipc';
import type { WorkerState } from '../shared/protocol.js';

/**
 * The child's view of its worker's state (`started`, `stopAtQueueEnd`,
 * `stopped`) and the abort signal that a stop fires. The main process asks
 * for changes; the loop reads the state between hooks and waits on changes.
 */
export class RunState {
  #state: WorkerState = 'started';
  #abort = new AbortController();
  /** Read once: AbortController.signal is a getter, and the hot path asks for it per item. */
  readonly signal: AbortSignal = this.#abort.signal;
  #changed = new Signal();

  get current(): WorkerState {
    return this.#state;
  }

  set(state: WorkerState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#changed.notify();
  }

  /** Stops: the state becomes `stopped` and the signal aborts. Returns false if it already was stopped. */
  stop(): boolean {
    if (this.#state === 'stopped') return false;
    this.set('stopped');
    this.#abort.abort();
    return true;
  }

  /** Resolves at the next change of state. */
  whenChanged(): Promise<void> {
    return this.#changed.wait();
  }
}
