import type { ListenerSource } from './metrics-feed.js';
import type { PipelineProgress } from '../shared/metrics-types.js';

/** How often progress is looked at while it runs: as often as the counters arrive (ms). */
const PROGRESS_INTERVAL_MS = 250;

/**
 * A pipeline's 'progress' event: while a listener is attached and the
 * pipeline runs, it looks at the progress every 250 ms (as often as the
 * children report) and emits it when it changed; once more when it finished.
 */
export class ProgressWatch {
  #compute: () => PipelineProgress;
  #emit: (progress: PipelineProgress) => void;
  #listeners = 0;
  #live = false;
  #timer: NodeJS.Timeout | undefined;
  #last = '';

  constructor(compute: () => PipelineProgress, emit: (progress: PipelineProgress) => void) {
    this.#compute = compute;
    this.#emit = emit;
  }

  /** Counts the 'progress' listeners of `emitter` as they come and go. */
  followListeners(emitter: ListenerSource): void {
    emitter.on('newListener', (event: string | symbol) => {
      if (event !== 'progress') return;
      this.#listeners++;
      this.#arm();
    });
    emitter.on('removeListener', (event: string | symbol) => {
      if (event !== 'progress') return;
      this.#listeners--;
      this.#arm();
    });
  }

  /** The pipeline started (true) or finished (false: the final progress is emitted). */
  live(live: boolean): void {
    if (live === this.#live) return;
    this.#live = live;
    this.#arm();
    if (!live && this.#listeners > 0) this.#check();
  }

  #arm(): void {
    const running = this.#live && this.#listeners > 0;
    if (running && !this.#timer) {
      this.#timer = setInterval(() => this.#check(), PROGRESS_INTERVAL_MS);
      this.#timer.unref();
    } else if (!running && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  #check(): void {
    const progress = this.#compute();
    const encoded = JSON.stringify(progress);
    if (encoded === this.#last) return;
    this.#last = encoded;
    this.#emit(progress);
  }
}
