import type { Redis } from 'ioredis';
import { runScript, type RedisEndpoint } from './connection.js';
import { compareIds, type ReadEntry } from './entries.js';
import type { QueueKeys } from './keys.js';
import type { ScriptName } from './lua/index.js';

/** A pool member reads this many entries when its own queue is empty: the others get the rest. */
const MEMBER_READ_ENTRIES = 2;
const READ_ENTRIES = 128;
/**
 * A plain consumer reads ahead while it holds fewer items than this: enough
 * to keep its loop busy, few enough that a backlog stays in Redis (where
 * every process sees it) rather than in the consumer's memory.
 */
const READ_AHEAD_ITEMS = 4096;

/**
 * How many entries a host reads now (0: wait until its consumer takes):
 * lossy, its capacity, and only when its loop waits for items (what it
 * holds then adds nothing to the capacity); a pool member, two, when its
 * own queue is empty; a plain consumer, 128, while it holds under 4096 items.
 */
export function readRoom(host: { lossy: boolean; acknowledging: boolean; capacity: number }, held: number, wanted: boolean): number {
  if (host.lossy) return wanted && held === 0 ? host.capacity : 0;
  if (host.acknowledging) return held === 0 ? MEMBER_READ_ENTRIES : 0;
  return held < READ_AHEAD_ITEMS ? READ_ENTRIES : 0;
}

/**
 * Where a host reads from: new entries (`>`), or, after a read whose reply
 * may have been lost with its connection, its own pending entries from the
 * start (`0`), paging through them and skipping those it already has.
 */
export class ReadCursor {
  #from = '>';
  #last = '0-0';

  /** The id XREADGROUP reads from now. */
  get from(): string {
    return this.#from;
  }

  /** A read broke or timed out (its reply may be lost): re-read this host's own pending entries first. */
  broke(): void {
    this.#from = '0';
  }

  /** The entries of a reply that this host did not have yet, in order (new entries, `>`, always are). */
  fresh(entries: ReadEntry[]): ReadEntry[] {
    if (this.#from === '>') {
      if (entries.length > 0) this.#last = entries[entries.length - 1].id;
      return entries;
    }
    // Re-reading: page through our pending entries, then back to new ones.
    this.#from = entries.length > 0 ? entries[entries.length - 1].id : '>';
    const fresh = entries.filter((entry) => compareIds(entry.id, this.#last) > 0);
    if (fresh.length > 0) this.#last = fresh[fresh.length - 1].id;
    return fresh;
  }

  /** The stream is gone (a reset): read the new one from its start. */
  reset(): void {
    this.#from = '>';
    this.#last = '0-0';
  }
}

/** What `read` resolves with when the watchdog had to give up on a read. */
export const TIMED_OUT = Symbol('timed out');

/**
 * The blocking reads of one host, on a connection of their own, each raced
 * against a watchdog: after a reconnect a blocking read may never settle
 * (ioredis#1285, BullMQ#4479), so a read that outlives its BLOCK time by
 * `graceMs` is abandoned and the connection replaced.
 */
export class BlockingReader {
  #endpoint: RedisEndpoint;
  #name: string;
  #connection: Redis;
  /** The connection's client id (CLIENT UNBLOCK ends a blocked read early). */
  #id: Promise<number>;
  #closed = false;

  constructor(endpoint: RedisEndpoint, name: string) {
    this.#endpoint = endpoint;
    this.#name = name;
    this.#connection = endpoint.blocking(name);
    this.#id = this.#clientId();
  }

  /** Ends the blocked read now (it answers as if its BLOCK time had passed). */
  async unblock(): Promise<void> {
    const id = await this.#id.catch(() => undefined);
    if (id !== undefined && !this.#closed) await this.#endpoint.command.client('UNBLOCK', id).catch(() => {});
  }

  #clientId(): Promise<number> {
    const id = this.#connection.client('ID');
    id.catch(() => {});
    return id;
  }

  /** Sends `XREADGROUP args...`; resolves with the raw reply (buffers), or TIMED_OUT. */
  async read(args: Array<string | number>, blockMs: number, graceMs: number): Promise<unknown> {
    const connection = this.#connection;
    const reading = connection.callBuffer('XREADGROUP', ...args);
    let timer: NodeJS.Timeout | undefined;
    const watchdog = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), blockMs + graceMs);
    });
    try {
      const reply = await Promise.race([reading, watchdog]);
      if (reply === TIMED_OUT) {
        reading.catch(() => {}); // it rejects when its connection is dropped just below
        this.#replace(connection);
      }
      return reply;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs a script on the reading connection: it sees everything the reads before it saw. */
  run(script: ScriptName, keys: QueueKeys, args: Array<string | number>): Promise<unknown> {
    return runScript(this.#connection, script, keys, args);
  }

  close(): void {
    this.#closed = true;
    this.#endpoint.release(this.#connection);
  }

  #replace(stale: Redis): void {
    if (this.#closed || stale !== this.#connection) return;
    this.#endpoint.release(stale);
    this.#connection = this.#endpoint.blocking(this.#name);
    this.#id = this.#clientId();
  }
}
