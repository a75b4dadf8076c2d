import { PoolWriter, WaitingPuts, addDrops, noDrops, type DropCounts, type PoolMemberAddress } from '@prodcon/ipc';
import { mergeDurations } from '../../shared/duration-stats.js';
import type { QueueMetrics } from '../../shared/metrics-types.js';
import type { HostReport } from '../../shared/report-types.js';
import { consumedElsewhere, type QueueBackend, type QueueIdentity } from './backend.js';

/** What the pool's queue needs of one member's own queue. */
export interface MemberQueue {
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly drops: Readonly<DropCounts>;
  metrics(): QueueMetrics;
  isReady(): boolean;
  setReady(): void;
  setNotReady(): void;
  clear(): void;
  /** Where writers reach this member's queue now. */
  binding(): { address: string | 'pending' | null };
  onBindingChange(listener: () => void): () => void;
}

/** What the pool's queue needs of the pool. */
export interface PoolQueueOwner {
  readonly name: string;
  /** The members' own queues, each hosted by its member's child. */
  memberQueues(): MemberQueue[];
  /** The pool runs and has not been closed. */
  accepting(): boolean;
}

/**
 * The queue of a ConsumerPool: its items live in the members' queues. Writers
 * (producers in children, the main process) reach every member and give each
 * item to exactly one of them (see PoolWriter).
 */
export class PoolBackend<T> implements QueueBackend<T> {
  #queue: QueueIdentity;
  #owner: PoolQueueOwner;
  #writer: PoolWriter | undefined;
  /** This process's puts, in call order, waiting for the members' credit (see WaitingPuts). */
  #puts: WaitingPuts | undefined;
  /** The members' queues: the pool's members never change, so neither does this list. */
  #memberQueues: MemberQueue[] | undefined;
  #refused = 0;
  /** What the main process's writers that ended dropped. */
  #endedWriters = noDrops();
  #userReady = true;
  #watching = false;

  constructor(queue: QueueIdentity, owner: PoolQueueOwner) {
    this.#queue = queue;
    this.#owner = owner;
  }

  get owner(): QueueMetrics['owner'] {
    return { kind: 'pool', name: this.#owner.name };
  }

  /** The members' queues added up (latency: see mergeDurations). */
  hostReport(): HostReport {
    const members = this.#memberList().map((queue) => queue.metrics());
    return {
      received: members.reduce((sum, member) => sum + member.received, 0),
      taken: members.reduce((sum, member) => sum + member.taken, 0),
      latency: mergeDurations(members.map((member) => member.latency)),
    };
  }

  /** Follows the members' queues: when one moves (a member restarted), writers learn it. */
  watchMembers(): void {
    if (this.#watching) return;
    this.#watching = true;
    for (const memberQueue of this.#memberList()) {
      memberQueue.onBindingChange(() => {
        this.#writer?.bind(this.members());
        this.#queue.notifyBindingChanged();
      });
    }
  }

  members(): PoolMemberAddress[] {
    return this.#memberList().map((memberQueue) => ({
      memberId: memberQueue.name,
      queueId: memberQueue.id,
      address: this.#userReady ? memberQueue.binding().address : null,
    }));
  }

  #memberList(): MemberQueue[] {
    return (this.#memberQueues ??= this.#owner.memberQueues());
  }

  isReady(): boolean {
    return this.#userReady && this.#owner.accepting() && this.#memberList().some((queue) => queue.isReady());
  }

  setReady(): void {
    this.#userReady = true;
    for (const memberQueue of this.#memberList()) memberQueue.setReady();
  }

  setNotReady(): void {
    this.#userReady = false;
    for (const memberQueue of this.#memberList()) memberQueue.setNotReady();
  }

  clear(): void {
    for (const memberQueue of this.#memberList()) memberQueue.clear();
  }

  put(item: T): Promise<boolean> {
    return this.putMany([item]);
  }

  /**
   * Puts items in order, behind the puts still waiting: readiness is checked
   * once, the values are walked once, and they are dealt across the members
   * by credit in one pass (see PoolWriter.sendMany); one promise per call.
   */
  putMany(items: readonly T[]): Promise<boolean> {
    if (!this.isReady()) {
      this.#refused += items.length;
      return Promise.resolve(false);
    }
    this.#mainWriter();
    return this.#puts!.put(items);
  }

  /** Connects the main process's writer to every member now (the pool calls it once all members run). */
  connectWriter(): Promise<void> {
    return this.#mainWriter().whenConnected();
  }

  #mainWriter(): PoolWriter {
    if (!this.#writer) {
      this.#writer = new PoolWriter({
        queueId: this.#queue.id,
        capacity: this.#queue.capacity,
        writerName: 'main process',
      });
      this.#writer.bind(this.members());
      this.#puts = new WaitingPuts(this.#writer);
    }
    return this.#writer;
  }

  /** Ends the main process's writer: resolves once every item it put was consumed (or could not be). */
  async endWriter(): Promise<void> {
    const writer = this.#writer;
    this.#writer = undefined;
    this.#puts = undefined;
    await writer?.end();
    if (writer) addDrops(this.#endedWriters, writer.drops);
  }

  get(): Promise<T> {
    return consumedElsewhere(this.#queue.name, "the pool's members");
  }

  get size(): number {
    return this.#memberList().reduce((sum, queue) => sum + queue.size, 0);
  }

  get localDrops(): Readonly<DropCounts> {
    const drops = addDrops(noDrops(), this.#endedWriters);
    drops.refused += this.#refused;
    addDrops(drops, this.#writer?.drops ?? {});
    for (const queue of this.#memberList()) addDrops(drops, queue.drops);
    return drops;
  }

  address(): string | 'pending' | null {
    return null;
  }

  reportedSize(): void {
    // The size is the sum of the members' sizes.
  }
}
