import { randomBytes } from 'node:crypto';
import { Signal, logTransportWarning } from '@prodcon/ipc';
import type { QueueTarget } from './connection.js';
import { dropList, type UnpushedDrops } from './drops.js';
import type { OutgoingEntry } from './entries.js';
import { redisErrors } from './errors.js';
import { admitArgs, appendArgs, itemsIn, parseWriterReply, type WriterReply } from './writer-call.js';
import type { WriterHold } from './writer-hold.js';

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
/** A failed call is tried again after this. */
const RETRY_MS = 500;

/** What the sender asks of the writer it sends for (RedisQueueSink). */
export interface SenderOwner {
  readonly lossy: boolean;
  /** Whether a call carries what the writer holds (else it only renews the lease and reads the queue's state). */
  sending(): boolean;
  /** The engine answered a call that carried `entries`. */
  answered(reply: WriterReply, entries: OutgoingEntry[]): void;
  /** A call failed: what it carried is held again. */
  failed(): void;
  /** Whether to call again at once after an answer (more is held, and the queue takes it). */
  more(): boolean;
  /** No call is under way, nothing is to be sent at once: a writer that drains ends now. */
  idle(): Promise<void>;
}

/**
 * A writer's calls to the engine: the admit script (lossless: one call at a
 * time, so that room decides in order) or the append script (lossy: up to
 * three under way), each carrying what the writer holds, within a call's
 * limits, and the drops it counted since its last call. A call per
 * event-loop turn at low rates, bigger calls under load. Each call renews the
 * writer's lease; events on the queue's channel, and a probe every second,
 * make a call when there is nothing to send. A call that fails gives back
 * what it carried, and is made again.
 */
export class WriterSender {
  readonly writerId = randomBytes(8).toString('hex');
  #target: QueueTarget;
  #hold: WriterHold;
  #drops: UnpushedDrops;
  #owner: SenderOwner;
  /** Calls under way. */
  #inFlight = 0;
  /** Items in the calls under way: they will use room the last answer reported as free. */
  #inFlightItems = 0;
  #again = false;
  #scheduled = false;
  #stopped = false;
  #progress = new Signal();
  #timer: NodeJS.Timeout;
  #unsubscribe: () => void;

  constructor(target: QueueTarget, hold: WriterHold, drops: UnpushedDrops, owner: SenderOwner) {
    this.#target = target;
    this.#hold = hold;
    this.#drops = drops;
    this.#owner = owner;
    this.#unsubscribe = target.endpoint.subscribe(target, () => this.poke());
    this.#timer = setInterval(() => this.poke(), PROBE_MS);
    this.#timer.unref();
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get inFlightItems(): number {
    return this.#inFlightItems;
  }

  /** Stopped: nothing more will be sent. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Looks at the queue now, or right after the call under way. */
  poke(): void {
    if (this.#busy()) this.#again = true;
    else void this.#call();
  }

  /** Sends what was accepted in this event-loop turn, at its end. */
  schedule(): void {
    if (this.#scheduled || this.#busy()) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#call();
    });
  }

  /** Resolves true at the engine's next answer (or a failed call), false after `ms` without one. */
  answered(ms: number): Promise<boolean> {
    return Promise.race([this.#progress.wait().then(() => true), sleep(ms).then(() => false)]);
  }

  /** The writer's last call: its end, with the drops counted since its last call. Gives up after `ms`. */
  async end(ms: number): Promise<void> {
    const args = [this.writerId, dropList(this.#drops.take())]; // after every call: nothing is pushed twice
    await Promise.race([this.#target.endpoint.run('pcEndWriter', this.#target.keys, args).catch(() => {}), sleep(ms)]);
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#unsubscribe();
  }

  #busy(): boolean {
    return this.#inFlight >= (this.#owner.lossy ? LOSSY_CALLS_IN_FLIGHT : 1);
  }

  async #call(): Promise<void> {
    if (this.#stopped) return;
    if (this.#busy()) {
      this.#again = true;
      return;
    }
    const owner = this.#owner;
    this.#inFlight++;
    this.#again = false;
    let entries: OutgoingEntry[] = [];
    // The drops this call pushes into the engine's counters: taken now, given back if the call fails.
    const head = { writer: this.writerId, leaseMs: WRITER_LEASE_MS, drops: this.#drops.take() };
    try {
      if (owner.sending()) entries = await this.#hold.next();
      this.#inFlightItems += itemsIn(entries);
      const answer = owner.lossy
        ? this.#target.endpoint.run('pcAppend', this.#target.keys, appendArgs(head, entries))
        : this.#target.endpoint.run('pcAdmit', this.#target.keys, admitArgs(head, entries));
      if (owner.lossy && this.#hold.pending > 0) void this.#call(); // the next call, while this one runs
      const reply = parseWriterReply(await answer);
      if (reply.status === 'nometa') this.#drops.giveBack(head.drops); // no queue to count them in (yet)
      owner.answered(reply, entries);
    } catch (error) {
      this.#drops.giveBack(head.drops);
      this.#hold.giveBack(entries);
      owner.failed();
      if (this.#target.endpoint.closed) {
        this.stop(); // this process closed its connections: nothing more will be sent
      } else {
        if (!this.#stopped) logTransportWarning(redisErrors.scriptFailed('a write', this.#target.queue, error).message);
        setTimeout(() => this.poke(), RETRY_MS).unref();
      }
    } finally {
      this.#inFlight--;
      this.#inFlightItems -= itemsIn(entries);
      this.#progress.notify();
    }
    if (this.#again || owner.more()) void this.#call();
    else if (this.#inFlight === 0) await owner.idle();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
