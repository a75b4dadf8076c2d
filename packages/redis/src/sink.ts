import {
  Signal,
  logTransportWarning,
  maxDrops,
  noDrops,
  totalDrops,
  type DropCause,
  type DropCounts,
  type EngineSink,
  type EngineSinkOptions,
  type Inspection,
  type PutOutcome,
  type WriterState,
} from '@prodcon/ipc';
import type { QueueTarget } from './connection.js';
import { UnpushedDrops } from './drops.js';
import type { OutgoingEntry } from './entries.js';
import { announce } from './events.js';
import { itemsIn, type WriterReply } from './writer-call.js';
import { WriterHold } from './writer-hold.js';
import { WriterRun, type RunChange } from './writer-run.js';
import { WriterSender } from './writer-sender.js';

/** An ending writer gives up on what it holds after this long without the engine answering. */
const END_PATIENCE_MS = 3000;

/** What becomes of what a writer holds when the queue stops accepting, by the state it is told. */
const HELD_DROPPED_AS: Partial<Record<WriterState, DropCause>> = {
  notReady: 'cleared', // the queue was set not ready: what was on its way is cleared, as locally
  unbound: 'lost', // its last host stopped (or none will come): accepted, never delivered
  ended: 'refused', // the queue drains and refuses this writer's items
};

/**
 * Writes into a queue kept in a Redis stream. Values are batched (see
 * WriterSender: one call at a time when lossless, a few when lossy).
 * Lossless: a writer sends only against the free room the engine last
 * reported (its credits), and the admit script takes whole entries only
 * while they fit, so the stream never holds more than `capacity` items.
 * Lossy: never waits; keeps at most `capacity` items unsent (drop-oldest,
 * counted as `overflow`), and the append script trims the stream to exactly
 * `capacity`. Every drop is counted here by cause (`drops`), and pushed into
 * the engine's counters unless the engine counted it itself.
 */
export class RedisQueueSink implements EngineSink {
  readonly queueId: string;
  readonly lossy: boolean;
  accepted = 0;
  #target: QueueTarget;
  #options: EngineSinkOptions;
  #state: WriterState = 'connecting';
  #hold: WriterHold;
  #sender: WriterSender;
  #run = new WriterRun();
  #drops = noDrops();
  /** The drops counted here that the engine has not counted yet. */
  #unpushed = new UnpushedDrops();
  #engineDrops = noDrops();
  #free = 0;
  #draining = false;
  #expectHost = false;
  #finished = false;
  #lastStatus: WriterReply['status'] | undefined;
  #writable = new Signal();
  #ending: Promise<void> | undefined;

  constructor(target: QueueTarget, options: EngineSinkOptions) {
    this.queueId = options.queueId;
    this.lossy = options.lossy;
    this.#target = target;
    this.#options = options;
    this.#hold = new WriterHold({ codec: options.codec ?? 'auto', label: options.label ?? 'item', capacity: options.capacity, lossy: options.lossy });
    this.#sender = new WriterSender(target, this.#hold, this.#unpushed, {
      lossy: options.lossy,
      sending: () => this.#state === 'ready' || this.#draining,
      answered: (reply, entries) => this.#onReply(reply, entries),
      failed: () => {
        if (this.lossy) this.#boundLossy();
      },
      more: () => this.#hold.items > 0 && (this.#state === 'ready' || this.#draining) && (this.lossy || this.#free > 0),
      idle: () => (this.#draining && this.#hold.items === 0 ? this.#sendEnd() : Promise.resolve()),
    });
    target.endpoint.ready().then(
      () => this.#sender.poke(),
      (error: Error) => {
        logTransportWarning(`writer ${options.writerName} → queue '${target.queue}': ${error.message}`);
        this.#dropHeld('lost');
        this.#setState('gone');
        this.#sender.stop();
      },
    );
  }

  get state(): WriterState {
    return this.#state;
  }

  get credits(): number {
    if (this.lossy) return Infinity;
    if (this.#state !== 'ready') return 0;
    return Math.max(0, this.#free - this.#hold.items - this.#sender.inFlightItems);
  }

  get drops(): Readonly<DropCounts> {
    return this.#drops;
  }

  get dropped(): number {
    return totalDrops(this.#drops);
  }

  get engineDrops(): Readonly<DropCounts> {
    return this.#engineDrops;
  }

  countDrop(cause: DropCause, count = 1): void {
    this.#count(cause, count);
  }

  rebind(expectHost: boolean): void {
    this.#expectHost = expectHost;
    if (!this.#finished && !this.#draining && this.#state !== 'gone') this.#setState('connecting');
    this.#sender.poke();
  }

  tryPut(value: unknown, inspection?: Inspection): PutOutcome {
    const state = this.#state;
    if (state !== 'ready' && !(state === 'connecting' && this.lossy)) {
      if (state === 'connecting') return 'noCredit';
      this.#count('refused', 1);
      return 'refused';
    }
    if (!this.lossy && this.credits <= 0) return 'noCredit';
    this.#hold.add(value, inspection); // throws before the value is taken
    this.accepted++;
    if (this.lossy) this.#boundLossy();
    this.#sender.schedule();
    return 'sent';
  }

  whenWritable(): Promise<void> {
    if (this.#state !== 'connecting' && (this.#state !== 'ready' || this.credits > 0)) return Promise.resolve();
    return this.#writable.wait();
  }

  end(): Promise<void> {
    this.#finished = true;
    this.#ending ??= this.#end();
    return this.#ending;
  }

  // --- answers -------------------------------------------------------------------

  #onReply(reply: WriterReply, entries: OutgoingEntry[]): void {
    this.#lastStatus = reply.status;
    maxDrops(this.#engineDrops, reply.drops);
    if (reply.status === 'nometa' || reply.status === 'lapsed') {
      this.#hold.giveBack(entries);
      // A queue that existed and vanished (a reset), or whose host's lease ran out without the run ending
      // (an outage, or a host that died), is waited for: its host re-creates it, renews, or starts again.
      if (this.#run.seen || this.#expectHost || reply.status === 'lapsed') this.#setState('connecting');
      else this.#refuseAll('unbound');
      if (this.lossy) this.#boundLossy();
      return;
    }
    const change = this.#run.follow(reply);
    if (change) this.#newRun(reply.epoch, change);
    this.#run.admitted(entries.slice(0, reply.admitted));
    const rest = entries.slice(reply.admitted);
    switch (reply.status) {
      case 'ready':
        this.#run.registered = true;
        this.#hold.giveBack(rest);
        if (!this.lossy) this.#free = reply.room;
        if (reply.closing && !this.#draining) this.#draining = true;
        this.#setState(this.#draining || this.#finished ? 'ended' : 'ready');
        return;
      case 'unbound':
        if (this.#expectHost) {
          this.#hold.giveBack(rest);
          this.#setState('connecting');
          return;
        }
        this.#refuseAll('unbound', itemsIn(rest));
        return;
      case 'notReady':
        this.#refuseAll('notReady', itemsIn(rest));
        return;
      case 'closing':
      case 'ended':
        this.#refuseAll('ended', itemsIn(rest));
        return;
    }
  }

  /** A new run of the queue (its consumer started again), or the same queue re-created after a reset. */
  #newRun(epoch: string, change: RunChange): void {
    if (change.reset) {
      announce(this.#target.binding, `reset ${epoch}`);
      this.#count('lost', change.lost); // admitted into the run that is gone, never read by a host
    }
    if (!this.#finished) this.#draining = false;
  }

  /**
   * The queue stopped accepting: what this writer holds is dropped, counted; puts are refused from now on.
   * `offered`: items of the last call the engine refused (counted as refused there, so not pushed).
   */
  #refuseAll(state: WriterState, offered = 0): void {
    this.#drops.refused += offered;
    this.#dropHeld(HELD_DROPPED_AS[state] ?? 'lost');
    this.#free = 0;
    this.#draining = false;
    this.#setState(this.#finished ? 'ended' : state);
  }

  /** Drops what is held (never given to the engine), counted under `cause`. */
  #dropHeld(cause: DropCause): void {
    this.#count(cause, this.#hold.clear());
  }

  /** Lossy: keep the newest `capacity` items held; older ones are dropped, counted. */
  #boundLossy(): void {
    this.#count('overflow', this.#hold.bound(this.#options.capacity));
  }

  /** Counts drops the engine did not see: here, and into its counters with the next call. */
  #count(cause: DropCause, count: number): void {
    if (count <= 0) return;
    this.#drops[cause] += count;
    this.#unpushed.add(cause, count);
  }

  #setState(state: WriterState): void {
    this.#state = state;
    this.#writable.notify();
  }

  // --- ending -----------------------------------------------------------------------

  async #end(): Promise<void> {
    const sender = this.#sender;
    // No answer yet (just created, or looking again): wait for one before deciding what becomes of what is held.
    while (this.#state === 'connecting' && this.#hold.items > 0 && !sender.stopped) {
      if (!(await sender.answered(END_PATIENCE_MS))) break;
    }
    const deliverable = this.#lastStatus === 'ready';
    this.#setState('ended');
    if (deliverable && (this.#hold.items > 0 || sender.inFlight > 0)) {
      this.#draining = true;
      sender.poke();
      // Flush what was accepted; in an outage, give up after a while (counted) rather than hang the stop.
      // A call under way may give back entries that found no room: it counts as held.
      while ((this.#hold.items > 0 || sender.inFlight > 0) && this.#draining && !sender.stopped) {
        if (!(await sender.answered(END_PATIENCE_MS))) break;
      }
    }
    this.#dropHeld('lost');
    if (!sender.stopped) await this.#sendEnd();
    sender.stop();
  }

  /** Tells the engine this writer ended (once, and only if it registered in the run). */
  async #sendEnd(): Promise<void> {
    if (!this.#run.registered) return;
    this.#run.registered = false;
    await this.#sender.end(END_PATIENCE_MS);
  }
}
