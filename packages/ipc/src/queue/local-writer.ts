import { Signal } from '../util/signal.js';
import type { CreditAccount } from './credits.js';
import type { HostState } from './protocol.js';
import type { PutOutcome, QueueSink, WriterState } from './sink.js';
import { noDrops, totalDrops, type DropCounts } from './drops.js';

/**
 * A local writer's line into the host it writes to. QueueHost makes one per
 * writer (`createLocalWriter`) around that writer's credit account, so
 * LocalWriter needs nothing else of the host.
 */
export interface LocalLine {
  readonly queueId: string;
  readonly lossy: boolean;
  /** This writer's credit account, kept by the host. */
  readonly account: Readonly<CreditAccount>;
  /** The host's state now. */
  hostState(): HostState;
  /** Puts one value under the host's rules: its state and this writer's credits. */
  put(value: unknown): PutOutcome;
  /** Ends this writer: the host stops counting it. */
  end(): void;
}

/** Writes into a host living in this process: no socket, no codec, the same credit rules. */
export class LocalWriter implements QueueSink {
  readonly queueId: string;
  readonly lossy: boolean;
  /** Puts refused (the host did not accept items); nothing is lost on the way in this process. */
  readonly drops: DropCounts = noDrops();
  accepted = 0;
  #line: LocalLine;
  #writable = new Signal();

  constructor(line: LocalLine) {
    this.#line = line;
    this.queueId = line.queueId;
    this.lossy = line.lossy;
  }

  get state(): WriterState {
    if (this.#line.account.ended) return 'ended';
    switch (this.#line.hostState()) {
      case 'ready':
        return 'ready';
      case 'notReady':
        return 'notReady';
      case 'closing':
        return 'ended';
      case 'gone':
        return 'gone';
    }
  }

  get dropped(): number {
    return totalDrops(this.drops);
  }

  get credits(): number {
    return this.lossy ? Infinity : this.#line.account.outstanding;
  }

  tryPut(value: unknown): PutOutcome {
    const outcome = this.#line.put(value);
    if (outcome === 'sent') this.accepted++;
    else if (outcome === 'refused') this.drops.refused++;
    return outcome;
  }

  whenWritable(): Promise<void> {
    return this.#writable.wait();
  }

  end(): Promise<void> {
    this.#line.end();
    this.wake();
    return Promise.resolve();
  }

  /** Wakes puts waiting in `whenWritable`: the host calls it when credit arrives or its state changes. */
  wake(): void {
    this.#writable.notify();
  }
}
