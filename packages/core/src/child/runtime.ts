import { QueueHost, QueueRouter, Signal, SocketServer } from '@prodcon/ipc';
import { serializeError, type WorkerPhase } from '../errors.js';
import type { FromParent, QueueBinding, QueueStats, WorkerSpec, WorkerState } from '../protocol.js';
import type { WorkContext, WorkLoopControl } from '../worker/types.js';
import { MessageInbox } from './inbox.js';
import type { ChildLink } from './link.js';
import { ModuleError, loadWorkerClass, type WorkerClassShape } from './load-module.js';
import { endRemoteQueues } from '../queue/remote-queue.js';
import { SubscriberSet } from './subscribers.js';

/** A hook threw: carries the phase it threw in. */
export class HookFailure extends Error {
  readonly phase: WorkerPhase;
  readonly error: unknown;
  /** The batch being worked, for a consumer. */
  readonly held: unknown[] | undefined;

  constructor(phase: WorkerPhase, error: unknown, held?: unknown[]) {
    super(`${phase} failed`);
    this.phase = phase;
    this.error = error;
    this.held = held;
  }
}

/** Results waiting to be written beyond this make the loop wait (the main process reads too slowly). */
const RESULTS_HIGH_WATER = 10_000;
/** How often queue counters are reported while they change. */
const STATS_INTERVAL_MS = 250;
/** A child whose main process vanished gets this long to run onStop, then exits anyway. */
const ORPHAN_DEADLINE_MS = 3000;

/**
 * Runs one worker in this child: loads its class, hosts its queue (consumer),
 * connects its subscribers, runs its workLoop, and always ends the same way:
 * onStop (if onStart succeeded), writers flushed and ended, final counters,
 * `stopped`, link closed.
 */
export class ChildRuntime implements WorkLoopControl {
  readonly spec: WorkerSpec;
  readonly link: ChildLink;
  readonly ctx: WorkContext;
  readonly subscribers: SubscriberSet;
  queue: QueueHost | undefined;
  buffered = 0;
  #state: WorkerState = 'started';
  #abort = new AbortController();
  /** Read once: AbortController.signal is a getter, and the hot path asks for it per item. */
  #signal = this.#abort.signal;
  #stateChange = new Signal();
  #inbox = new MessageInbox();
  #workerClass: WorkerClassShape | undefined;
  #queueServer: SocketServer | undefined;
  #onStartDone = false;
  #onStopStarted = false;
  #wantResults: boolean;
  #statsTimer: NodeJS.Timeout | undefined;
  #lastStats = '';
  /** The main process's latest view of the subscriber queues; connected once the module loaded. */
  #subscriberBindings: QueueBinding[];
  #subscribersConnected = false;

  constructor(spec: WorkerSpec, link: ChildLink) {
    this.spec = spec;
    this.link = link;
    this.#wantResults = spec.wantResults;
    this.#subscriberBindings = spec.subscribers;
    this.subscribers = new SubscriberSet(`${spec.kind} '${spec.name}'`, spec.codec);
    this.ctx = this.#createContext();
    link.onMessage((message) => this.#onParentMessage(message));
  }

  get state(): WorkerState {
    return this.#state;
  }

  get workTimeout(): number {
    return this.spec.workTimeout;
  }

  get maxBufferSize(): number {
    return this.spec.maxBufferSize;
  }

  /** Runs the worker to its end. Never throws: failures are reported to the main process. */
  async run(): Promise<void> {
    try {
      this.#workerClass = await loadWorkerClass(this.spec);
      if (this.spec.queue) await this.#hostQueue();
      this.#subscribersConnected = true;
      this.subscribers.update(this.#subscriberBindings);
      this.#startStatsReporting();
      await this.#workerClass.workLoop(this);
    } catch (error) {
      this.reportFailure(error);
    }
    if (this.#onStartDone && !this.#onStopStarted) {
      try {
        await this.#runOnStop();
      } catch (error) {
        this.reportFailure(error);
      }
    }
  }

  /** Flushes and closes everything, then tells the main process the worker stopped. */
  async finish(): Promise<void> {
    this.#setState('stopped');
    this.#inbox.close();
    if (this.#statsTimer) clearInterval(this.#statsTimer);
    await Promise.all([this.subscribers.endAll(), endRemoteQueues()]);
    if (this.queue) {
      this.queue.discard(); // what is still queued on stop is dropped, and counted
      this.queue.shutdown();
    }
    this.#sendStats(true);
    if (!this.link.closed) this.link.send({ type: 'stopped' });
    await this.link.close();
    await this.#queueServer?.close();
  }

  /** Reports a failure of the current phase (or of the phase a HookFailure names). */
  reportFailure(error: unknown): void {
    let phase: WorkerPhase = this.#onStartDone ? 'work' : 'onStart';
    let thrown = error;
    if (error instanceof HookFailure) {
      phase = error.phase;
      thrown = error.error;
      if (error.held && !this.link.closed) this.link.sendHeld(error.held, this.spec.codec);
    }
    const serialized = serializeError(thrown);
    if (thrown instanceof ModuleError) serialized.code = 'ERR_WORKER_MODULE';
    if (!this.link.closed) this.link.send({ type: 'failed', phase, error: serialized });
    this.requestStop();
  }

  /** Stop as soon as the current hook returns. */
  requestStop(): void {
    if (this.#state === 'stopped') return;
    this.#setState('stopped');
    this.#abort.abort();
    this.#inbox.close();
  }

  /** The main process is gone: stop, and exit even if onStop hangs. */
  orphaned(): void {
    this.requestStop();
    setTimeout(() => process.exit(1), ORPHAN_DEADLINE_MS).unref();
  }

  // --- WorkLoopControl ----------------------------------------------------------

  async runOnStart(): Promise<void> {
    const workerClass = this.#workerClass!;
    try {
      this.ctx.startResult = await workerClass.onStart(this.ctx);
    } catch (error) {
      throw new HookFailure('onStart', error);
    }
    this.#onStartDone = true;
    if (!this.link.closed) this.link.send({ type: 'started' });
  }

  runWork(items?: unknown[]): unknown {
    const workerClass = this.#workerClass!;
    let outcome: unknown;
    try {
      outcome = items === undefined ? workerClass.work(this.ctx) : workerClass.work(items, this.ctx);
    } catch (error) {
      throw new HookFailure('work', error, items);
    }
    if (isPromiseLike(outcome)) {
      return Promise.resolve(outcome).catch((error: unknown) => {
        throw new HookFailure('work', error, items);
      });
    }
    return outcome;
  }

  publish(item: unknown): void | Promise<void> {
    try {
      const pending = this.subscribers.publish(item, this.#signal);
      if (pending) return pending.catch((error: unknown) => Promise.reject(new HookFailure('work', error)));
    } catch (error) {
      throw new HookFailure('work', error);
    }
  }

  reportResult(result: unknown): void | Promise<void> {
    if (!this.#wantResults || result === undefined) return;
    const outbox = this.link.results;
    try {
      outbox.push(result);
    } catch (error) {
      throw new HookFailure('work', error);
    }
    // Back-pressure from the main process: do not run ahead of what it can read.
    if (outbox.pending > RESULTS_HIGH_WATER) return outbox.idle();
  }

  whenSubscribersWritable(): void | Promise<void> {
    return this.subscribers.whenWritable(this.#signal);
  }

  acknowledge(count: number): void {
    this.queue?.acknowledge(count);
  }

  whenStateChanges(): Promise<void> {
    return this.#stateChange.wait();
  }

  // --- internals ------------------------------------------------------------------

  async #runOnStop(): Promise<void> {
    this.#onStopStarted = true;
    this.#setState('stopped');
    let result: unknown;
    try {
      result = await this.#workerClass!.onStop(this.ctx);
    } catch (error) {
      throw new HookFailure('onStop', error);
    }
    if (result === undefined) return;
    try {
      await this.link.sendFinal(result, this.spec.codec);
    } catch (error) {
      throw new HookFailure('onStop', error);
    }
  }

  async #hostQueue(): Promise<void> {
    const spec = this.spec.queue!;
    const host = new QueueHost({
      queueId: spec.queueId,
      name: `queue of consumer '${this.spec.name}'`,
      capacity: spec.capacity,
      lossy: spec.lossy,
      ready: spec.ready,
      acknowledge: spec.acknowledge,
    });
    const router = new QueueRouter();
    router.add(host);
    this.#queueServer = await router.listen(spec.address, `queue of consumer '${this.spec.name}'`);
    this.queue = host;
    if (this.#state === 'stopAtQueueEnd') host.close(); // the drain was asked for while the queue was being set up
    this.link.send({ type: 'hosting', queueId: spec.queueId, address: spec.address });
  }

  #createContext(): WorkContext {
    const runtime = this;
    const inbox = this.#inbox;
    return {
      args: this.spec.args,
      startResult: undefined,
      get state() {
        return runtime.#state;
      },
      signal: this.#abort.signal,
      stop: () => {
        if (runtime.#state === 'stopped') return;
        runtime.requestStop();
        if (!runtime.link.closed) runtime.link.send({ type: 'stopping', reason: 'self' });
      },
      messages: {
        send: (message: unknown) => runtime.link.messages.push(message),
        receive: () => inbox.receive(),
        tryReceive: () => inbox.tryReceive(),
        [Symbol.asyncIterator]: () => inbox[Symbol.asyncIterator](),
      },
      name: this.spec.name,
    };
  }

  #onParentMessage(message: FromParent): void {
    switch (message.type) {
      case 'messages':
        this.#inbox.deliver(message.values);
        return;
      case 'stop':
        this.requestStop();
        return;
      case 'stopAtQueueEnd':
        if (this.#state !== 'started') return;
        this.#setState('stopAtQueueEnd');
        this.queue?.close();
        return;
      case 'wantResults':
        this.#wantResults = message.on;
        return;
      case 'subscribers':
        // Updates can arrive while the worker's module is still loading: keep the latest, so that
        // connecting afterwards does not go back to the (stale) bindings of the spec.
        this.#subscriberBindings = message.queues;
        if (this.#subscribersConnected) this.subscribers.update(message.queues);
        return;
      case 'queueReady':
        if (message.ready) this.queue?.setReady();
        else this.queue?.setNotReady();
        return;
      case 'clearQueue':
        this.queue?.discard();
        return;
      case 'init':
        return;
    }
  }

  #setState(state: WorkerState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#stateChange.notify();
  }

  #startStatsReporting(): void {
    // A quiet worker sends nothing: counters go out only when they changed.
    this.#statsTimer = setInterval(() => this.#sendStats(false), STATS_INTERVAL_MS);
    this.#statsTimer.unref();
  }

  #sendStats(force: boolean): void {
    const stats: QueueStats[] = this.subscribers.stats();
    if (this.queue) {
      stats.push({ queueId: this.queue.queueId, size: this.queue.size + this.buffered, dropped: this.queue.dropped });
    }
    if (stats.length === 0) return;
    const encoded = JSON.stringify(stats);
    if (!force && encoded === this.#lastStats) return;
    this.#lastStats = encoded;
    if (!this.link.closed) this.link.send({ type: 'queueStats', stats });
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
