import type { ChildControl, QueueBinding, QueueStats } from '../shared/protocol.js';

/** What a worker needs of each queue it writes into. */
export interface SubscriberQueue {
  readonly id: string;
  /** Workers writing into the queue (for end-of-stream detection). */
  readonly upstreams: Set<object>;
  /** Where a writer reaches the queue now. */
  binding(): QueueBinding;
  /** Calls `listener` whenever where (or whether) the queue accepts items changes. */
  onBindingChange(listener: () => void): () => void;
  report(reporter: string, stats: QueueStats): void;
  retireReporter(reporter: string): void;
}

/**
 * The queues one worker writes into, and keeping its running child up to
 * date with them: when a queue moves (its consumer restarted) or stops
 * accepting, the child learns the new bindings, once per turn.
 */
export class SubscriberBindings<Q extends SubscriberQueue = SubscriberQueue> {
  #owner: object;
  #queues: Q[] = [];
  #unwatch: Array<() => void> = [];
  #send: ((queues: QueueBinding[]) => void) | undefined;
  #updateScheduled = false;

  /** @param owner the worker, as recorded in each queue's `upstreams`. */
  constructor(owner: object) {
    this.#owner = owner;
  }

  get queues(): Q[] {
    return [...this.#queues];
  }

  /** Replaces the queues; a running child learns the change. */
  set(queues: Q[]): void {
    for (const queue of this.#queues) queue.upstreams.delete(this.#owner);
    this.#queues = [...queues];
    for (const queue of this.#queues) queue.upstreams.add(this.#owner);
    if (this.#send) {
      this.#watch();
      this.#scheduleUpdate();
    }
  }

  /** Where each queue is now, for a child's spec. */
  bindings(): QueueBinding[] {
    return this.#queues.map((queue) => queue.binding());
  }

  /** A child runs: send it every change through `send` from now on. */
  follow(send: (queues: QueueBinding[]) => void): void {
    this.#send = send;
    this.#watch();
  }

  /** The child ended: stop following, and keep the final counters it reported as `reporter`. */
  unfollow(reporter: string): void {
    this.#send = undefined;
    for (const unwatch of this.#unwatch) unwatch();
    this.#unwatch = [];
    for (const queue of this.#queues) queue.retireReporter(reporter);
  }

  /** Routes the queue counters a child reported to the queues they are about. */
  report(reporter: string, message: Extract<ChildControl, { type: 'queueStats' }>): void {
    for (const stats of message.stats) {
      for (const queue of this.#queues) if (queue.id === stats.queueId) queue.report(reporter, stats);
    }
  }

  #watch(): void {
    for (const unwatch of this.#unwatch) unwatch();
    this.#unwatch = this.#queues.map((queue) => queue.onBindingChange(() => this.#scheduleUpdate()));
  }

  #scheduleUpdate(): void {
    if (this.#updateScheduled) return;
    this.#updateScheduled = true;
    queueMicrotask(() => {
      this.#updateScheduled = false;
      this.#send?.(this.bindings());
    });
  }
}
