import { randomBytes } from 'node:crypto';
import { Signal, logTransportWarning, type EngineSink, type EngineSinkOptions, type Inspection, type PutOutcome, type WriterState } from '@prodcon/ipc';
import type { RedisEndpoint } from './connection.js';
import type { OutgoingEntry } from './entries.js';
import { redisErrors } from './errors.js';
import { announce } from './events.js';
import type { QueueKeys } from './keys.js';
import { admitArgs, appendArgs, itemsIn, parseWriterReply, type WriterReply } from './writer-call.js';
import { WriterHold } from './writer-hold.js';

/** A writer that stops renewing (its process died) no longer holds a drain back after this. */
const WRITER_LEASE_MS = 5000;
/** How often an idle writer renews its lease and looks at the queue (events usually come first). */
const PROBE_MS = 1000;
/**
 * Lossy calls under way at once: a lossy call is taken whole or refused
 * whole, so calls may overlap (on one connection, in order); the writer
 * encodes the next while Redis runs the last.
 */
const LOSSY_CALLS_IN_FLIGHT = 3;
/** An ending writer gives up on what it holds after this long without the engine answering. */
const END_PATIENCE_MS = 3000;

/** Where a sink writes: the server, the queue's keys, its name for messages. */
export interface SinkTarget {
  endpoint: RedisEndpoint;
  keys: QueueKeys;
  queue: string;
}

/**
 * Writes into a queue kept in a Redis stream. Values are batched: one
 * script call at a time per writer, carrying everything accepted meanwhile
 * (a call per event-loop turn at low rates, bigger calls under load).
 * Lossless: a writer sends only against the free room the engine last
 * reported (its credits), and the admit script takes whole entries only
 * while they fit, so the stream never holds more than `capacity` items.
 * Lossy: never waits; keeps at most `capacity` items unsent (drop-oldest,
 * counted), and the append script trims the stream to exactly `capacity`.
 */
export class RedisQueueSink implements EngineSink {
  readonly queueId: string;
  readonly lossy: boolean;
  readonly writerId = randomBytes(8).toString('hex');
  /** Puts refused: the queue had no host, was not ready, or drains. */
  refused = 0;
  /** Accepted items that never reached the stream (dropped unsent when lossy, or held when the queue stopped accepting). */
  lost = 0;
  /** Items the engine had admitted and lost in a reset (Redis restarted without persistence). */
  resetLost = 0;
  accepted = 0;
  engineDropped = 0;
  #target: SinkTarget;
  #options: EngineSinkOptions;
  #state: WriterState = 'connecting';
  #hold: WriterHold;
  #free = 0;
  #admittedSeq = 0;
  #epochStartSeq = 0;
  #epoch: string | undefined;
  #registered = false;
  #draining = false;
  #expectHost = false;
  #finished = false;
  #stopped = false;
  #lastStatus: WriterReply['status'] | undefined;
  /** Calls under way: one at a time for a lossless writer (so that room decides in order), a few when lossy. */
  #inFlight = 0;
  /** Items in the calls under way: they will use room the last answer reported as free. */
  #inFlightItems = 0;
  #again = false;
  #scheduled = false;
  #unpushedWriter = 0;
  #unpushedReset = 0;
  #writable = new Signal();
  #progress = new Signal();
  #ending: Promise<void> | undefined;
  #timer: NodeJS.Timeout;
  #unsubscribe: () => void;

  constructor(target: SinkTarget, options: EngineSinkOptions) {
    this.queueId = options.queueId;
    this.lossy = options.lossy;
    this.#target = target;
    this.#options = options;
    this.#hold = new WriterHold({ codec: options.codec ?? 'auto', label: options.label ?? 'item', capacity: options.capacity, lossy: options.lossy });
    this.#unsubscribe = target.endpoint.subscribe(target.keys.channel, () => this.#poke());
    this.#timer = setInterval(() => this.#poke(), PROBE_MS);
    this.#timer.unref();
    target.endpoint.ready().then(
      () => this.#poke(),
      (error: Error) => {
        logTransportWarning(`writer ${options.writerName} → queue '${target.queue}': ${error.message}`);
        this.#dropHeld();
        this.#setState('gone');
        this.#stop();
      },
    );
  }

  get state(): WriterState {
    return this.#state;
  }

  get credits(): number {
    if (this.lossy) return Infinity;
    if (this.#state !== 'ready') return 0;
    return Math.max(0, this.#free - this.#hold.items - this.#inFlightItems);
  }

  get dropped(): number {
    return this.refused + this.lost + this.resetLost;
  }

  countDropped(count: number): void {
    this.lost += count;
    this.#unpushedWriter += count;
  }

  rebind(expectHost: boolean): void {
    this.#expectHost = expectHost;
    if (!this.#finished && !this.#draining && this.#state !== 'gone') this.#setState('connecting');
    this.#poke();
  }

  tryPut(value: unknown, inspection?: Inspection): PutOutcome {
    const state = this.#state;
    if (state !== 'ready' && !(state === 'connecting' && this.lossy)) {
      if (state === 'connecting') return 'noCredit';
      this.refused++;
      return 'refused';
    }
    if (!this.lossy && this.credits <= 0) return 'noCredit';
    this.#hold.add(value, inspection); // throws before the value is taken
    this.accepted++;
    if (this.lossy) this.#boundLossy();
    this.#schedule();
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

  // --- sending -------------------------------------------------------------------

  #poke(): void {
    if (this.#busy()) this.#again = true;
    else void this.#call();
  }

  #busy(): boolean {
    return this.#inFlight >= (this.lossy ? LOSSY_CALLS_IN_FLIGHT : 1);
  }

  #schedule(): void {
    if (this.#scheduled || this.#busy()) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#call();
    });
  }

  async #call(): Promise<void> {
    if (this.#stopped) return;
    if (this.#busy()) {
      this.#again = true;
      return;
    }
    this.#inFlight++;
    this.#again = false;
    const sending = this.#state === 'ready' || this.#draining;
    let entries: OutgoingEntry[] = [];
    // The drops this call pushes into the engine's counters: taken now, given back if the call fails.
    const head = { writer: this.writerId, leaseMs: WRITER_LEASE_MS, writerDrops: this.#unpushedWriter, resetDrops: this.#unpushedReset };
    this.#unpushedWriter = 0;
    this.#unpushedReset = 0;
    try {
      if (sending) entries = await this.#hold.next();
      this.#inFlightItems += itemsIn(entries);
      const script = this.lossy ? 'pcAppend' : 'pcAdmit';
      const args = this.lossy ? appendArgs(head, entries) : admitArgs(head, entries);
      const answer = this.#target.endpoint.run(script, this.#target.keys, args);
      if (this.lossy && this.#hold.pending > 0) void this.#call(); // the next call, while this one runs
      this.#onReply(parseWriterReply(await answer), entries);
    } catch (error) {
      this.#unpushedWriter += head.writerDrops;
      this.#unpushedReset += head.resetDrops;
      this.#hold.giveBack(entries);
      if (this.lossy) this.#boundLossy();
      if (this.#target.endpoint.closed) {
        this.#stop(); // this process closed its connections: nothing more will be sent
      } else {
        if (!this.#stopped) logTransportWarning(redisErrors.scriptFailed('a write', this.#target.queue, error).message);
        setTimeout(() => this.#poke(), 500).unref();
      }
    } finally {
      this.#inFlight--;
      this.#inFlightItems -= itemsIn(entries);
      this.#progress.notify();
    }
    const more = this.#held() > 0 && (this.#state === 'ready' || this.#draining) && (this.lossy || this.#free > 0);
    if (this.#again || more) void this.#call();
    else if (this.#draining && this.#held() === 0 && this.#inFlight === 0 && this.#registered) await this.#sendEnd();
  }

  #onReply(reply: WriterReply, entries: OutgoingEntry[]): void {
    this.#lastStatus = reply.status;
    this.engineDropped = Math.max(this.engineDropped, reply.dropped);
    if (reply.status === 'nometa' || reply.status === 'lapsed') {
      this.#hold.giveBack(entries);
      // A queue that existed and vanished (a reset), or whose host's lease ran out without the run ending
      // (an outage, or a host that died), is waited for: its host re-creates it, renews, or starts again.
      if (this.#epoch !== undefined || this.#expectHost || reply.status === 'lapsed') this.#setState('connecting');
      else this.#refuseAll('unbound');
      if (this.lossy) this.#boundLossy();
      return;
    }
    if (reply.epoch !== this.#epoch) this.#newEpoch(reply);
    const admitted = entries.slice(0, reply.admitted);
    const last = admitted.at(-1);
    if (last) this.#admittedSeq = Math.max(this.#admittedSeq, last.first + last.n - 1);
    const rest = entries.slice(reply.admitted);
    switch (reply.status) {
      case 'ready':
        this.#registered = true;
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
  #newEpoch(reply: WriterReply): void {
    if (this.#epoch !== undefined && reply.resetSeq !== '') {
      announce(this.#target.endpoint.url, this.#target.keys.channel, `reset ${reply.epoch}`);
      // Admitted into the old run and never read by a host: lost with it.
      const lost = this.#admittedSeq - Math.max(Number(reply.resetSeq), this.#epochStartSeq);
      if (lost > 0) {
        this.resetLost += lost;
        this.#unpushedReset += lost;
      }
    }
    this.#epoch = reply.epoch;
    this.#epochStartSeq = this.#admittedSeq;
    this.#registered = false;
    if (!this.#finished) this.#draining = false;
  }

  /**
   * The queue stopped accepting: what this writer holds is dropped, counted; puts are refused from now on.
   * `offered`: items of the last call the engine refused (and counted as refused there too).
   */
  #refuseAll(state: WriterState, offered = 0): void {
    this.refused += offered;
    this.#dropHeld();
    this.#free = 0;
    this.#draining = false;
    this.#setState(this.#finished ? 'ended' : state);
  }

  /** Drops what is held (not given to the engine: pushed into its counters with the next call), counted. */
  #dropHeld(): void {
    const held = this.#hold.clear();
    this.lost += held;
    this.#unpushedWriter += held;
  }

  /** Lossy: keep the newest `capacity` items held; older ones are dropped, counted. */
  #boundLossy(): void {
    const dropped = this.#hold.bound(this.#options.capacity);
    this.lost += dropped;
    this.#unpushedWriter += dropped;
  }

  #held(): number {
    return this.#hold.items;
  }

  #setState(state: WriterState): void {
    this.#state = state;
    this.#writable.notify();
  }

  // --- ending -----------------------------------------------------------------------

  async #end(): Promise<void> {
    // No answer yet (just created, or looking again): wait for one before deciding what becomes of what is held.
    while (this.#state === 'connecting' && this.#held() > 0 && !this.#stopped) {
      if (!(await this.#answered())) break;
    }
    const deliverable = this.#lastStatus === 'ready';
    this.#setState('ended');
    if (deliverable && (this.#held() > 0 || this.#inFlight > 0)) {
      this.#draining = true;
      this.#poke();
      // Flush what was accepted; in an outage, give up after a while (counted) rather than hang the stop.
      // A call under way may give back entries that found no room: it counts as held.
      while ((this.#held() > 0 || this.#inFlight > 0) && this.#draining && !this.#stopped) {
        if (!(await this.#answered())) break;
      }
    }
    this.#dropHeld();
    if (this.#registered && !this.#stopped) await this.#sendEnd();
    this.#stop();
  }

  /** Resolves true at the engine's next answer, false after END_PATIENCE_MS without one. */
  #answered(): Promise<boolean> {
    return Promise.race([this.#progress.wait().then(() => true), sleep(END_PATIENCE_MS).then(() => false)]);
  }

  async #sendEnd(): Promise<void> {
    if (!this.#registered) return;
    this.#registered = false;
    const args = [this.writerId, this.#unpushedWriter, this.#unpushedReset]; // after every call: nothing is pushed twice
    this.#unpushedWriter = 0;
    this.#unpushedReset = 0;
    await Promise.race([this.#target.endpoint.run('pcEndWriter', this.#target.keys, args).catch(() => {}), sleep(END_PATIENCE_MS)]);
  }

  #stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#unsubscribe();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

