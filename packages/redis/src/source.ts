import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  RingBuffer,
  Signal,
  logTransportWarning,
  type EngineSource,
  type EngineSourceOptions,
  type HostState,
} from '@prodcon/ipc';
import { compareIds, decodeEntry, parseRead, type ReadEntry } from './entries.js';
import { redisErrors } from './errors.js';
import { GROUP } from './keys.js';
import { BlockingReader, TIMED_OUT, readRoom } from './reader.js';
import { AckBatch } from './acks.js';
import { EntryRecords } from './records.js';
import type { SinkTarget } from './sink.js';

/** A host that stops renewing (its process or machine died) is dead after this; its items go to the others. */
const HOST_LEASE_MS = 2500;
/** Lease renewal and the dead-host check run this often: redelivery within lease + tick (+ a read). */
const TICK_MS = 500;
const BLOCK_MS = 1000;
/** While draining, reads block briefly: the end of the writers is checked between reads. */
const DRAIN_BLOCK_MS = 100;
const WATCHDOG_GRACE_MS = 2000;

/**
 * The reading end of a queue kept in a Redis stream, hosted by a consumer's
 * process (several, for a pool: one consumer group, one consumer each). A
 * blocking reader moves entries into a local ring; `take` hands items out;
 * entries are acknowledged to the engine (freeing their room) when all their
 * items were taken, or, for a pool member, acknowledged after `work`.
 * The host holds a lease; a checker hands the entries of hosts whose lease
 * expired to the live ones. See QueueSource for the members' meaning.
 */
export class RedisQueueSource implements EngineSource {
  readonly queueId: string;
  readonly name: string;
  readonly capacity: number;
  readonly lossy: boolean;
  readonly acknowledging: boolean;
  /** Items dropped by this host: cleared (setNotReady, discard, a stop) or lost in a reset. */
  dropped = 0;
  engineDropped = 0;
  /** Times the queue vanished from Redis and was re-created. */
  resets = 0;
  #target: SinkTarget;
  #options: EngineSourceOptions;
  #member: string;
  #epoch = '';
  #state: HostState;
  #ring = new RingBuffer<unknown>();
  #records: EntryRecords;
  #reader: BlockingReader;
  #readFrom = '>';
  #lastRead = '0-0';
  #readSeqs = new Map<string, number>();
  #acks: AckBatch;
  #writersEnded = false;
  /** Lossy: the consumer waits for items. A lossy host reads only then, so that what it holds adds nothing to the capacity. */
  #wanted = false;
  #itemsArrived = new Signal();
  #room = new Signal();
  #writersEndedSignal = new Signal();
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: () => void = () => {};
  #shutDown: Promise<void> | undefined;

  private constructor(target: SinkTarget, options: EngineSourceOptions) {
    this.queueId = options.queueId;
    this.name = options.name;
    this.capacity = options.capacity;
    this.lossy = options.lossy;
    this.acknowledging = options.acknowledge && !options.lossy;
    this.#target = target;
    this.#options = options;
    this.#member = `${options.member}@${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.#state = options.ready ? 'ready' : 'notReady';
    this.#records = new EntryRecords(this.acknowledging);
    this.#reader = new BlockingReader(target.endpoint, `prodcon-reader ${options.member}`);
    this.#acks = new AckBatch(target, (total) => (this.engineDropped = Math.max(this.engineDropped, total)), () => this.#gone());
  }

  /** Connects, joins (or starts) the queue's run, and starts reading. */
  static async create(target: SinkTarget, options: EngineSourceOptions): Promise<RedisQueueSource> {
    await target.endpoint.ready();
    const source = new RedisQueueSource(target, options);
    try {
      await source.#join(false);
    } catch (error) {
      source.#reader.close();
      throw error;
    }
    source.#unsubscribe = target.endpoint.subscribe(target.keys.channel, (message) => {
      if (message === 'state') void source.#tick(false);
    });
    source.#timer = setInterval(() => void source.#tick(true), TICK_MS);
    source.#timer.unref();
    void source.#readLoop();
    return source;
  }

  get size(): number {
    return this.#ring.length;
  }

  get state(): HostState {
    return this.#state;
  }

  take(max: number): unknown[] {
    const items = this.#ring.shiftMany(max);
    if (items.length === 0) return items;
    if (!this.lossy) this.#acks.add(this.#records.taken(items.length));
    this.#room.notify();
    return items;
  }

  whenItems(): Promise<void> {
    if (this.#ring.length > 0 || this.#state === 'gone') return Promise.resolve();
    if (!this.#wanted) {
      this.#wanted = true;
      this.#room.notify();
    }
    return this.#itemsArrived.wait();
  }

  acknowledge(count: number): void {
    if (this.acknowledging && count > 0) this.#acks.add(this.#records.acknowledged(count));
  }

  setReady(): void {
    if (this.#state !== 'notReady') return;
    this.#state = 'ready';
    void this.#admin('ready', '1');
  }

  setNotReady(): void {
    if (this.#state === 'gone') return;
    this.#becomeNotReady();
    void this.#admin('ready', '0');
  }

  discard(): number {
    const cleared = this.#ring.length;
    if (cleared === 0) return 0;
    this.#ring.clear();
    this.dropped += cleared;
    this.#acks.add(this.lossy ? [] : this.#records.cleared(cleared), cleared, true);
    this.#room.notify();
    return cleared;
  }

  close(): void {
    if (this.#state === 'closing' || this.#state === 'gone') return;
    this.#state = 'closing';
    void this.#admin('closing', '1');
    this.#itemsArrived.notify();
    void this.#reader.unblock(); // the end of the writers is checked between reads: do not wait out a long one
  }

  whenWritersEnded(): Promise<void> {
    if (this.#state === 'gone' || (this.#state === 'closing' && this.#writersEnded)) return Promise.resolve();
    return this.#writersEndedSignal.wait();
  }

  shutdown(): void {
    if (this.#state === 'gone') return;
    this.#state = 'gone';
    clearInterval(this.#timer);
    this.#unsubscribe();
    this.#reader.close();
    this.#itemsArrived.notify();
    this.#room.notify();
    this.#writersEndedSignal.notify();
    this.#shutDown = (async () => {
      this.#acks.flush();
      const reply = (await this.#target.endpoint
        .run('pcHostStop', this.#target.keys, [this.#member, this.#epoch])
        .catch(() => [0, this.engineDropped])) as [number, number];
      this.engineDropped = Math.max(this.engineDropped, Number(reply[1]));
    })();
  }

  whenShutDown(): Promise<void> {
    return this.#shutDown ?? Promise.resolve();
  }

  /** Read again after an await: a shutdown may have come meanwhile. */
  #gone(): boolean {
    return this.#state === 'gone';
  }

  // --- the run of the queue ------------------------------------------------------------

  /** Starts or joins the queue's run; after a reset, re-creates it with what was read of each writer. */
  async #join(reset: boolean): Promise<void> {
    const seqs: Array<string | number> = [];
    if (reset) for (const [writer, seq] of this.#readSeqs) seqs.push(writer, seq);
    const o = this.#options;
    const token = randomBytes(8).toString('hex');
    const args = [this.#member, HOST_LEASE_MS, o.capacity, o.lossy ? '1' : '0', token, o.ready ? '1' : '0', reset ? '1' : '0', ...seqs];
    const [epoch, ready, closing, dropped] = (await this.#target.endpoint.run('pcHostStart', this.#target.keys, args)) as [string, string, string, number];
    this.#epoch = epoch;
    this.engineDropped = Math.max(this.engineDropped, Number(dropped));
    this.#applyFlags(ready, closing);
  }

  /** Renews the lease, follows the flags other processes set, and (on the timer) hands dead hosts' entries on. */
  async #tick(claim: boolean): Promise<void> {
    if (this.#state === 'gone') return;
    try {
      const [status, ready, closing, dropped] = (await this.#target.endpoint.run('pcHostRenew', this.#target.keys, [
        this.#member,
        HOST_LEASE_MS,
        this.#epoch,
      ])) as [string, string, string, number];
      if (this.#gone()) return;
      if (status === 'reset') return await this.#onReset();
      this.engineDropped = Math.max(this.engineDropped, Number(dropped));
      this.#applyFlags(ready, closing);
      if (claim) await this.#target.endpoint.run('pcClaim', this.#target.keys, []); // its news comes back on the channel
    } catch (error) {
      if (!this.#gone()) logTransportWarning(redisErrors.scriptFailed('a lease renewal', this.#target.queue, error).message);
    }
  }

  #applyFlags(ready: string, closing: string): void {
    if (this.#state === 'gone') return;
    if (ready !== '1') {
      if (this.#state !== 'notReady') this.#becomeNotReady();
      return;
    }
    if (closing === '1') {
      if (this.#state !== 'closing') {
        this.#state = 'closing';
        this.#itemsArrived.notify();
        void this.#reader.unblock();
      }
      return;
    }
    if (this.#state === 'notReady') this.#state = 'ready';
  }

  #becomeNotReady(): void {
    this.#state = 'notReady';
    this.discard();
    this.#itemsArrived.notify();
  }

  /** The queue vanished (Redis restarted without persistence): count, tell, re-create. */
  async #onReset(): Promise<void> {
    this.resets++; // every process following the queue hears of it on its channel (see RedisEndpoint)
    this.#records.forget();
    this.#acks.forget();
    this.#lastRead = '0-0';
    this.#readFrom = '>';
    await this.#join(true);
  }

  async #admin(flag: 'ready' | 'closing', value: string): Promise<void> {
    try {
      await this.#target.endpoint.run('pcSetFlag', this.#target.keys, [flag, value]);
    } catch (error) {
      logTransportWarning(redisErrors.scriptFailed(`setting ${flag}`, this.#target.queue, error).message);
    }
  }

  // --- reading -----------------------------------------------------------------------------

  async #readLoop(): Promise<void> {
    while (this.#state !== 'gone') {
      const room = readRoom(this, this.#ring.length, this.#wanted);
      if (room <= 0) {
        await this.#room.wait();
        continue;
      }
      const draining = this.#state === 'closing';
      const block = draining ? DRAIN_BLOCK_MS : BLOCK_MS;
      const args: Array<string | number> = ['GROUP', GROUP, this.#member, 'COUNT', room, 'BLOCK', block];
      if (this.lossy) args.push('NOACK');
      args.push('STREAMS', this.#target.keys.stream, this.#readFrom);
      let reply: unknown;
      try {
        reply = await this.#reader.read(args, block, WATCHDOG_GRACE_MS);
      } catch (error) {
        if (this.#gone()) return;
        // NOGROUP: the queue vanished (a reset); the lease renewal re-creates it.
        if (!/NOGROUP/.test(String(error))) logTransportWarning(redisErrors.scriptFailed('a read', this.#target.queue, error).message);
        this.#readFrom = '0'; // the connection broke: a reply may have been lost with it
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      if (this.#gone()) return;
      if (reply === TIMED_OUT) {
        this.#readFrom = '0'; // our own pending entries first: a reply may have been lost with the connection
        continue;
      }
      await this.#onEntries(parseRead(reply));
      if (this.#state === 'closing') await this.#checkWritersEnded();
    }
  }

  async #onEntries(entries: ReadEntry[]): Promise<void> {
    const rereading = this.#readFrom !== '>';
    if (rereading) {
      // Re-reading our own pending entries: page through them, then back to new ones.
      this.#readFrom = entries.length > 0 ? entries[entries.length - 1].id : '>';
    }
    let arrived = false;
    for (const entry of entries) {
      if (rereading && compareIds(entry.id, this.#lastRead) <= 0) continue; // new entries (`>`) are always new
      this.#lastRead = entry.id;
      if (entry.writer) this.#readSeqs.set(entry.writer, Math.max(entry.seq, this.#readSeqs.get(entry.writer) ?? 0));
      let values = decodeEntry(entry, this.#target.queue);
      if (values instanceof Promise) values = await values;
      if (!this.lossy) this.#records.read(entry.id, values.length);
      for (const value of values) this.#ring.push(value);
      arrived = true;
    }
    if (arrived) {
      this.#wanted = false;
      this.#itemsArrived.notify();
    }
  }

  /**
   * Draining: done once no writer is open and no entry is left unread. Asked
   * on the reading connection, after the reads before it were handled: an
   * entry handed to this host can no longer be in flight.
   */
  async #checkWritersEnded(): Promise<void> {
    const [open, unread, others] = (await this.#reader.run('pcWritersOpen', this.#target.keys, [this.#member]).catch(() => [1, 1, 1])) as number[];
    if (Number(open) === 0 && Number(unread) === 0 && Number(others) === 0 && !this.#writersEnded) {
      this.#writersEnded = true;
      this.#writersEndedSignal.notify();
    }
  }
}
