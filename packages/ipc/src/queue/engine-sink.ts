import type { Inspection } from '../codecs/inspect.js';
import { RingBuffer } from '../util/ring-buffer.js';
import { Signal } from '../util/signal.js';
import { DROP_CAUSES, addDrops, noDrops, totalDrops, type DropCause, type DropCounts } from './drops.js';
import type { PutOutcome, WriterState } from './sink.js';
import { loadTransport, type EngineBinding, type EngineSink, type EngineSinkOptions } from './transport.js';

/**
 * The writing end of an engine queue for synchronous callers: it exists at
 * once, while the transport module loads in the background (`import()`),
 * and then hands everything to the transport's own sink. Until then it is
 * `connecting`: lossless puts wait, lossy puts buffer (the newest `capacity`,
 * the older ones dropped and counted as `overflow`).
 */
export class LazyEngineSink implements EngineSink {
  readonly queueId: string;
  readonly lossy: boolean;
  #options: EngineSinkOptions;
  #sink: EngineSink | undefined;
  #early = new RingBuffer<{ value: unknown; inspection?: Inspection }>();
  /** Drops counted before the sink existed: handed to it (and so to the engine) once it does. */
  #earlyDrops = noDrops();
  #earlyAccepted = 0;
  #loaded = new Signal();
  #expectHost = false;
  #ending: Promise<void> | undefined;

  constructor(binding: EngineBinding, options: EngineSinkOptions) {
    this.queueId = options.queueId;
    this.lossy = options.lossy;
    this.#options = options;
    void loadTransport(binding).then((transport) => {
      const sink = transport.createSink(binding, options);
      sink.rebind(this.#expectHost);
      for (const { value, inspection } of this.#early.shiftMany(this.#early.length)) {
        sink.tryPut(value, inspection);
      }
      // From now on the sink counts them: what was accepted here it accepts again, what was dropped it is told.
      for (const cause of DROP_CAUSES) if (this.#earlyDrops[cause] > 0) sink.countDrop(cause, this.#earlyDrops[cause]);
      this.#earlyDrops = noDrops();
      this.#earlyAccepted = 0;
      this.#sink = sink;
      this.#loaded.notify();
    });
  }

  get state(): WriterState {
    return this.#sink?.state ?? (this.#ending ? 'ended' : 'connecting');
  }

  get credits(): number {
    return this.#sink?.credits ?? (this.lossy ? Infinity : 0);
  }

  get drops(): Readonly<DropCounts> {
    return addDrops(addDrops(noDrops(), this.#earlyDrops), this.#sink?.drops ?? {});
  }

  get dropped(): number {
    return totalDrops(this.drops);
  }

  get accepted(): number {
    return this.#earlyAccepted + (this.#sink?.accepted ?? 0);
  }

  get engineDrops(): Readonly<DropCounts> {
    return this.#sink?.engineDrops ?? noDrops();
  }

  countDrop(cause: DropCause, count = 1): void {
    if (this.#sink) this.#sink.countDrop(cause, count);
    else this.#earlyDrops[cause] += count;
  }

  rebind(expectHost: boolean): void {
    this.#expectHost = expectHost;
    this.#sink?.rebind(expectHost);
  }

  /** Hands the value to the transport's sink; until it exists, lossy values wait here and lossless puts wait (`noCredit`). */
  tryPut(value: unknown, inspection?: Inspection): PutOutcome {
    const sink = this.#sink;
    if (sink) return sink.tryPut(value, inspection);
    if (this.#ending) {
      this.#earlyDrops.refused++;
      return 'refused';
    }
    if (!this.lossy) return 'noCredit';
    this.#early.push({ value, inspection });
    this.#earlyAccepted++;
    if (this.#early.length > this.#options.capacity) {
      this.#early.shift();
      this.#earlyDrops.overflow++;
    }
    return 'sent';
  }

  /** Sends what is pending now, if the engine's sink batches (see QueueSink.flush). */
  flush(): void {
    this.#sink?.flush?.();
  }

  whenWritable(): Promise<void> {
    return this.#sink ? this.#sink.whenWritable() : this.#loaded.wait();
  }

  end(): Promise<void> {
    this.#ending ??= (async () => {
      while (!this.#sink) await this.#loaded.wait();
      await this.#sink.end();
    })();
    return this.#ending;
  }
}
