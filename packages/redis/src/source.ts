import {
  RingBuffer,
  Signal,
  logTransportWarning,
  maxDrops,
  noDrops,
  totalDrops,
  type DropCounts,
  type EngineSource,
  type EngineSourceOptions,
  type HostState,
} from '@prodcon/ipc';
import { AckBatch } from './acks.js';
import type { QueueTarget } from './connection.js';
import { decodeEntry, parseRead, type ReadEntry } from './entries.js';
import { redisErrors } from './errors.js';
import { HostLease } from './host-lease.js';
import { GROUP } from './keys.js';
import { BlockingReader, ReadCursor, TIMED_OUT, readRoom } from './reader.js';
import { EntryRecords } from './records.js';

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
 * The host holds a lease in the queue's run (HostLease). See QueueSource for
 * the members' meaning.
 */
export class RedisQueueSource implements EngineSource {
  readonly queueId: string;
  readonly name: string;
  readonly capacity: number;
  readonly lossy: boolean;
  readonly acknowledging: boolean;
  /** Items dropped by this host, by cause: cleared (setNotReady, discard) or still queued at a stop. */
  readonly drops: DropCounts = noDrops();
  readonly engineDrops: DropCounts = noDrops();
  #target: QueueTarget;
  #state: HostState;
  #lease: HostLease;
  #ring = new RingBuffer<unknown>();
  #records: EntryRecords;
  #reader: BlockingReader;
  #cursor = new ReadCursor();
  #acks: AckBatch;
  #writersEnded = false;
  /** Lossy: the consumer waits for items. A lossy host reads only then, so that what it holds adds nothing to the capacity. */
  #wanted = false;
  #itemsArrived = new Signal();
  #room = new Signal();
  #writersEndedSignal = new Signal();
  #unsubscribe: () => void = () => {};
  #shutDown: Promise<void> | undefined;

  private constructor(target: QueueTarget, options: EngineSourceOptions) {
    this.queueId = options.queueId;
    this.name = options.name;
    this.capacity = options.capacity;
    this.lossy = options.lossy;
    this.acknowledging = options.acknowledge && !options.lossy;
    this.#target = target;
    this.#state = options.ready ? 'ready' : 'notReady';
    this.#records = new EntryRecords(this.acknowledging);
    this.#reader = new BlockingReader(target.endpoint, `prodcon-reader ${options.member}`);
    const seen = (drops: DropCounts) => maxDrops(this.engineDrops, drops);
    this.#acks = new AckBatch(target, seen, () => this.#gone());
    this.#lease = new HostLease(target, options, {
      flags: (ready, closing) => this.#applyFlags(ready, closing),
      drops: seen,
      reset: () => this.#forgetStream(),
      gone: () => this.#gone(),
    });
  }

  /** Connects, joins (or starts) the queue's run, and starts reading. */
  static async create(target: QueueTarget, options: EngineSourceOptions): Promise<RedisQueueSource> {
    await target.endpoint.ready();
    const source = new RedisQueueSource(target, options);
    try {
      await source.#lease.join();
    } catch (error) {
      source.#reader.close();
      throw error;
    }
    source.#unsubscribe = target.endpoint.subscribe(target, (message) => {
      if (message === 'state') void source.#lease.renew();
    });
    source.#lease.start();
    void source.#readLoop();
    return source;
  }

  get size(): number {
    return this.#ring.length;
  }

  get state(): HostState {
    return this.#state;
  }

  get dropped(): number {
    return totalDrops(this.drops);
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

  discard(cause: 'cleared' | 'stopped' = 'cleared'): number {
    const dropped = this.#ring.length;
    if (dropped === 0) return 0;
    this.#ring.clear();
    this.drops[cause] += dropped;
    this.#acks.add(this.lossy ? [] : this.#records.cleared(dropped), { [cause]: dropped }, true);
    this.#room.notify();
    return dropped;
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
    this.#unsubscribe();
    this.#reader.close();
    this.#itemsArrived.notify();
    this.#room.notify();
    this.#writersEndedSignal.notify();
    this.#shutDown = (async () => {
      this.#acks.flush();
      const drops = await this.#lease.leave();
      if (drops) maxDrops(this.engineDrops, drops);
    })();
  }

  whenShutDown(): Promise<void> {
    return this.#shutDown ?? Promise.resolve();
  }

  /** Read again after an await: a shutdown may have come meanwhile. */
  #gone(): boolean {
    return this.#state === 'gone';
  }

  // --- flags -------------------------------------------------------------------------

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

  async #admin(flag: 'ready' | 'closing', value: string): Promise<void> {
    try {
      await this.#target.endpoint.run('pcSetFlag', this.#target.keys, [flag, value]);
    } catch (error) {
      logTransportWarning(redisErrors.scriptFailed(`setting ${flag}`, this.#target.queue, error).message);
    }
  }

  // --- reading -----------------------------------------------------------------------------

  /** The queue vanished (a reset): what was read and recorded belongs to a stream that no longer exists. */
  #forgetStream(): void {
    this.#records.forget();
    this.#acks.forget();
    this.#cursor.reset();
  }

  async #readLoop(): Promise<void> {
    while (this.#state !== 'gone') {
      const room = readRoom(this, this.#ring.length, this.#wanted);
      if (room <= 0) {
        await this.#room.wait();
        continue;
      }
      const draining = this.#state === 'closing';
      const block = draining ? DRAIN_BLOCK_MS : BLOCK_MS;
      const args: Array<string | number> = ['GROUP', GROUP, this.#lease.member, 'COUNT', room, 'BLOCK', block];
      if (this.lossy) args.push('NOACK');
      args.push('STREAMS', this.#target.keys.stream, this.#cursor.from);
      let reply: unknown;
      try {
        reply = await this.#reader.read(args, block, WATCHDOG_GRACE_MS);
      } catch (error) {
        if (this.#gone()) return;
        // NOGROUP: the queue vanished (a reset); the lease renewal re-creates it.
        if (!/NOGROUP/.test(String(error))) logTransportWarning(redisErrors.scriptFailed('a read', this.#target.queue, error).message);
        this.#cursor.broke(); // the connection broke: a reply may have been lost with it
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      if (this.#gone()) return;
      if (reply === TIMED_OUT) {
        this.#cursor.broke(); // the watchdog replaced the connection: a reply may have been lost with it
        continue;
      }
      await this.#onEntries(parseRead(reply));
      if (this.#state === 'closing') await this.#checkWritersEnded();
    }
  }

  async #onEntries(entries: ReadEntry[]): Promise<void> {
    const fresh = this.#cursor.fresh(entries);
    for (const entry of fresh) {
      if (entry.writer) this.#lease.read(entry.writer, entry.seq);
      let values = decodeEntry(entry, this.#target.queue);
      if (values instanceof Promise) values = await values;
      if (!this.lossy) this.#records.read(entry.id, values.length);
      for (const value of values) this.#ring.push(value);
    }
    if (fresh.length > 0) {
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
    const [open, unread, others] = (await this.#reader.run('pcWritersOpen', this.#target.keys, [this.#lease.member]).catch(() => [1, 1, 1])) as number[];
    if (Number(open) === 0 && Number(unread) === 0 && Number(others) === 0 && !this.#writersEnded) {
      this.#writersEnded = true;
      this.#writersEndedSignal.notify();
    }
  }
}
