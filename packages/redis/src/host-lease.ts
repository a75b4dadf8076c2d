import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { logTransportWarning, type DropCounts, type EngineSourceOptions } from '@prodcon/ipc';
import type { QueueTarget } from './connection.js';
import { parseDrops } from './drops.js';
import { redisErrors } from './errors.js';
import { announce } from './events.js';

/** A host that stops renewing (its process or machine died) is dead after this; its items go to the others. */
const HOST_LEASE_MS = 2500;
/** Lease renewal and the dead-host check run this often: redelivery within lease + tick (+ a read). */
const TICK_MS = 500;

/** What a lease tells the host that holds it (RedisQueueSource). */
export interface LeaseHolder {
  /** The queue's flags as the engine holds them ('1': set). */
  flags(ready: string, closing: string): void;
  /** The engine's drops by cause, as an answer showed them. */
  drops(drops: DropCounts): void;
  /** The queue vanished (Redis restarted without persistence): what belonged to the old stream is to be forgotten. */
  reset(): void;
  /** The host shut down: nothing more to renew, nothing worth a warning. */
  gone(): boolean;
}

/**
 * A host's place in the run of its queue: its member name, the run's epoch,
 * its lease (renewed every 0.5 s, 2.5 s long) and, on each renewal, the
 * check that hands the entries of hosts whose lease expired to the live
 * ones. It also keeps the reset bookkeeping: a renewal that finds another
 * epoch, or none, means the queue vanished; the lease then re-creates it,
 * telling the engine the last item this host read of each writer, so that
 * each writer counts exactly what it lost (see WriterRun).
 */
export class HostLease {
  /** This host among the queue's hosts: `<member>@<host>:<pid>:<random>`. */
  readonly member: string;
  #target: QueueTarget;
  #options: EngineSourceOptions;
  #holder: LeaseHolder;
  #epoch = '';
  /** Each writer's sequence number of its last item this host read. */
  #readSeqs = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(target: QueueTarget, options: EngineSourceOptions, holder: LeaseHolder) {
    this.#target = target;
    this.#options = options;
    this.#holder = holder;
    this.member = `${options.member}@${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  }

  /** Starts or joins the queue's run; after a reset (`reset`), re-creates it with what was read of each writer. */
  async join(reset = false): Promise<void> {
    const seqs: Array<string | number> = [];
    if (reset) for (const [writer, seq] of this.#readSeqs) seqs.push(writer, seq);
    const o = this.#options;
    const token = randomBytes(8).toString('hex');
    const args = [this.member, HOST_LEASE_MS, o.capacity, o.lossy ? '1' : '0', token, o.ready ? '1' : '0', reset ? '1' : '0', ...seqs];
    const [epoch, ready, closing, drops] = (await this.#target.endpoint.run('pcHostStart', this.#target.keys, args)) as [string, string, string, unknown];
    this.#epoch = epoch;
    this.#holder.drops(parseDrops(drops));
    this.#holder.flags(ready, closing);
  }

  /** Renews the lease every 0.5 s from now on, with the dead-host check. */
  start(): void {
    this.#timer = setInterval(() => void this.renew(true), TICK_MS);
    this.#timer.unref();
  }

  /** This host read `writer`'s items up to its sequence number `seq`. */
  read(writer: string, seq: number): void {
    this.#readSeqs.set(writer, Math.max(seq, this.#readSeqs.get(writer) ?? 0));
  }

  /** Renews the lease, reads the flags other processes set, and with `claim` hands dead hosts' entries on. */
  async renew(claim = false): Promise<void> {
    if (this.#holder.gone()) return;
    const { endpoint, keys } = this.#target;
    try {
      const [status, ready, closing, drops] = (await endpoint.run('pcHostRenew', keys, [this.member, HOST_LEASE_MS, this.#epoch])) as [
        string,
        string,
        string,
        unknown,
      ];
      if (this.#holder.gone()) return;
      if (status === 'reset') return await this.#reset();
      this.#holder.drops(parseDrops(drops));
      this.#holder.flags(ready, closing);
      if (claim) this.#lost((await endpoint.run('pcClaim', keys, [])) as unknown[]);
    } catch (error) {
      if (!this.#holder.gone()) logTransportWarning(redisErrors.scriptFailed('a lease renewal', this.#target.queue, error).message);
    }
  }

  /** Leaves the run (the last host to leave ends it); resolves with the engine's drops then, if it answered. */
  async leave(): Promise<DropCounts | undefined> {
    clearInterval(this.#timer);
    const reply = (await this.#target.endpoint.run('pcHostStop', this.#target.keys, [this.member, this.#epoch]).catch(() => undefined)) as
      | [number, unknown]
      | undefined;
    return reply && parseDrops(reply[1]);
  }

  /**
   * Hosts the check found dead: this process announces it at once (as every process following the queue
   * does when the news comes on the channel, which this one might miss while it reconnects).
   */
  #lost(answer: unknown[]): void {
    const [dead, , items, , ...names] = answer;
    if (Number(dead) > 0) announce(this.#target.binding, `lost ${Number(items)} ${names.join(' ')}`);
  }

  /** The queue vanished: tell the holder, re-create it, and announce it (the channel tells every other process). */
  async #reset(): Promise<void> {
    this.#holder.reset();
    await this.join(true);
    announce(this.#target.binding, `reset ${this.#epoch}`);
  }
}
