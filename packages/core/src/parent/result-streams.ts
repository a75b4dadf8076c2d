import { RingBuffer } from '@prodcon/ipc';

/** Results buffered for one iterator beyond this pause the child until the iterator catches up. */
const HIGH_WATER = 10_000;
const LOW_WATER = 1_000;

interface Stream {
  buffer: RingBuffer<unknown>;
  wake: (() => void) | undefined;
  error: Error | undefined;
  /** A run ended since the stream was opened: once the buffer is empty, iteration is done. */
  ended: boolean;
}

/** What the streams need of their worker. */
export interface ResultSource {
  /** The worker is stopped and no start() is under way: a new iterator has nothing to wait for. */
  idle(): boolean;
  /** Someone started or stopped listening (results are sent by the child only when someone listens). */
  listenersChanged(): void;
  /** Stop or resume reading the child's link (back-pressure). */
  setReading(reading: boolean): void;
}

/**
 * The `results()` iterators of one worker. Each gets every result from the
 * moment it was opened. When one falls more than HIGH_WATER results behind,
 * the worker stops reading its child's link (and so the child waits) until it
 * is back under LOW_WATER: a slow reader never makes memory grow without bound.
 */
export class ResultStreams<T> {
  #streams = new Set<Stream>();
  #source: ResultSource;
  #paused = false;

  constructor(source: ResultSource) {
    this.#source = source;
  }

  get size(): number {
    return this.#streams.size;
  }

  /** Delivers one result to every open stream. */
  push(value: unknown): void {
    for (const stream of this.#streams) {
      stream.buffer.push(value);
      stream.wake?.();
    }
  }

  /** Call after a batch of pushes: pauses the link if a stream is too far behind. */
  checkBackPressure(): void {
    let largest = 0;
    for (const stream of this.#streams) largest = Math.max(largest, stream.buffer.length);
    if (!this.#paused && largest > HIGH_WATER) {
      this.#paused = true;
      this.#source.setReading(false);
    } else if (this.#paused && largest <= LOW_WATER) {
      this.#paused = false;
      this.#source.setReading(true);
    }
  }

  /** A run failed: every open stream throws `error` once drained. */
  fail(error: Error): void {
    for (const stream of this.#streams) if (!stream.error) stream.error = error;
  }

  /** A run ended (with `error` if it failed): open streams end once drained. */
  runEnded(error: Error | undefined): void {
    this.#paused = false;
    for (const stream of this.#streams) {
      if (error && !stream.error) stream.error = error;
      stream.ended = true;
      stream.wake?.();
    }
  }

  /** A new iterable over the results to come. */
  iterable(): AsyncIterable<T> {
    return {
      [Symbol.asyncIterator]: () => this.#open(),
    };
  }

  #open(): AsyncIterator<T> {
    const stream: Stream = { buffer: new RingBuffer(), wake: undefined, error: undefined, ended: false };
    this.#streams.add(stream);
    this.#source.listenersChanged();
    const close = () => {
      this.#streams.delete(stream);
      this.#source.listenersChanged();
      this.checkBackPressure();
    };
    return {
      next: async (): Promise<IteratorResult<T>> => {
        for (;;) {
          if (stream.buffer.length > 0) {
            const value = stream.buffer.shift() as T;
            this.checkBackPressure();
            return { value, done: false };
          }
          if (stream.error) {
            close();
            throw stream.error;
          }
          if (stream.ended || this.#source.idle()) {
            close();
            return { value: undefined, done: true };
          }
          await new Promise<void>((resolve) => (stream.wake = resolve));
          stream.wake = undefined;
        }
      },
      return: (): Promise<IteratorResult<T>> => {
        close();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
