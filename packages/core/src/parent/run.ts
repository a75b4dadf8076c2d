import { WorkerError, type SerializedError, type WorkerPhase } from '../shared/errors.js';
import type { ChildControl, ParentControl, WorkerSpec } from '../shared/protocol.js';
import { childFailed, engineNews, exitedUnasked, stopTimedOut, stoppedBeforeStarted } from './failures.js';
import type { LifecycleStateName } from './lifecycle.js';
import { ParentLink, type LinkEnd, type ParentLinkEvents, type ParentLinkOptions } from './parent-link.js';

/** The main process's end of one child, as a run uses it: a ParentLink, or a test's stand-in. */
export type RunLink = Pick<
  ParentLink,
  'id' | 'pid' | 'killed' | 'ended' | 'launch' | 'send' | 'sendMessage' | 'pauseReading' | 'resumeReading' | 'kill'
>;

export type LinkFactory = (spec: WorkerSpec, options: ParentLinkOptions, events: ParentLinkEvents) => RunLink;

const realLink: LinkFactory = (spec, options, events) => new ParentLink(spec, options, events);

/** What a run needs of its worker. */
export interface RunOwner {
  readonly name: string;
  /** The worker's detailed lifecycle state. */
  status(): LifecycleStateName;
  /** The child started (`STARTED`) or is stopping on its own or after a failure (`SELF_STOP`). */
  lifecycle(event: 'STARTED' | 'SELF_STOP'): void;
  /** The link is about to open: the owner wires what depends on it. */
  launching(run: WorkerRun): void;
  results(values: unknown[]): void;
  messages(values: unknown[]): void;
  /** A control message the run does not handle itself (queue counters, `hosting`). */
  control(run: WorkerRun, message: ChildControl): void;
  /**
   * A failure of a running worker (no start() waits for it): report it.
   * `awaited` tells whether a stopAtQueueEnd() caller will receive it.
   */
  failed(error: WorkerError, awaited: () => boolean): void;
  /** News of an engine queue the worker uses, from its child: not a failure (`error.fatal` is false), the run goes on. */
  news(error: WorkerError): void;
  /** The child exited and everything it sent was delivered. Runs before the run's waiters settle. */
  ended(run: WorkerRun): void;
  /** After the waiters settled: `error` is the run's failure, if any. */
  settled(error: WorkerError | undefined): void;
}

interface StopWaiter {
  resolve: () => void;
  reject: (error: Error) => void;
  failOnError: boolean;
}

/**
 * One run of a worker: its child from launch to exit. It dispatches what the
 * child reports, settles the pending start() and the stop waiters, and turns
 * every way a run can go wrong into one WorkerError (the first one wins).
 */
export class WorkerRun {
  readonly spec: WorkerSpec;
  /** Resolves once the child's onStart returned; rejects (after the run ended) if it never did. */
  readonly started: Promise<void>;
  #owner: RunOwner;
  #options: ParentLinkOptions;
  #createLink: LinkFactory;
  #link: RunLink | undefined;
  #startWaiter: { resolve: () => void; reject: (error: Error) => void } | undefined;
  #startError: Error | undefined;
  #stopWaiters: StopWaiter[] = [];
  #error: WorkerError | undefined;
  #failureReported = false;
  #cleanStop = false;
  #failedBatch: unknown[] | undefined;
  #over = false;
  /** The hook the child is in, as far as the main process knows: what a stop timeout reports. */
  #phase: WorkerPhase = 'onStart';
  /** What onStop returned. */
  stopResult: unknown;
  /**
   * A stop or drain was asked for: if it comes before onStart returned, the
   * pending start() resolves once the run ended (it was cancelled, not failed).
   */
  stopRequested = false;

  constructor(spec: WorkerSpec, options: ParentLinkOptions, owner: RunOwner, createLink: LinkFactory = realLink) {
    this.spec = spec;
    this.#options = options;
    this.#owner = owner;
    this.#createLink = createLink;
    this.started = new Promise<void>((resolve, reject) => (this.#startWaiter = { resolve, reject }));
  }

  /** Identifies this run's reports (queue counters) to the queues. */
  get id(): string {
    return this.#link!.id;
  }

  get pid(): number | undefined {
    return this.#link?.pid;
  }

  /** Spawns the child (the lifecycle machine's `launch` action). */
  launch(): void {
    const link = this.#createLink(this.spec, this.#options, {
      onControl: (message) => this.#onControl(message),
      onResults: (values) => this.#owner.results(values),
      onMessages: (values) => this.#owner.messages(values),
      onFinal: (value) => {
        this.stopResult = value;
      },
      onFailedBatch: (items) => {
        this.#failedBatch = items;
      },
    });
    this.#link = link;
    this.#owner.launching(this);
    void link.ended.then((end) => this.#ended(link, end));
    link.launch().catch((error: Error) => {
      this.#failStart(error);
    });
  }

  send(message: ParentControl): void {
    this.#link?.send(message);
  }

  /** @throws CodecError when the message cannot cross a process boundary. */
  sendMessage(message: unknown): void {
    this.#link!.sendMessage(message);
  }

  /** Back-pressure from a slow results reader: the child waits while the link is not read. */
  setReading(reading: boolean): void {
    if (reading) this.#link?.resumeReading();
    else this.#link?.pauseReading();
  }

  /** Resolves once the run ended; with `failOnError`, rejects with its failure instead. */
  whenEnded(failOnError: boolean): Promise<void> {
    return new Promise((resolve, reject) => this.#stopWaiters.push({ resolve, reject, failOnError }));
  }

  /** Kills the child now (SIGKILL); the run then ends as killed. */
  kill(): void {
    this.#link?.kill('SIGKILL');
  }

  /** Kills the child after `timeout` ms unless the run ended; the stop then rejects. Returns a cancel function. */
  killAfter(timeout: number): () => void {
    const timer = setTimeout(() => {
      if (this.#over || !this.#link) return;
      this.#error ??= stopTimedOut(this.#owner.name, timeout, this.#phase);
      for (const waiter of this.#stopWaiters) waiter.failOnError = true;
      this.#link.kill('SIGKILL');
    }, timeout);
    return () => clearTimeout(timer);
  }

  #onControl(message: ChildControl): void {
    if (this.#over) return;
    switch (message.type) {
      case 'started': {
        this.#phase = 'work';
        this.#owner.lifecycle('STARTED');
        const waiter = this.#startWaiter;
        this.#startWaiter = undefined;
        waiter?.resolve();
        return;
      }
      case 'phase':
        this.#phase = message.phase;
        return;
      case 'failed':
        this.#onChildFailed(message.phase, message.error);
        return;
      case 'stopping':
        this.#owner.lifecycle('SELF_STOP');
        return;
      case 'stopped':
        this.#cleanStop = true;
        return;
      case 'engineNews':
        this.#owner.news(engineNews(this.#owner.name, this.#phase, message.code, message.error));
        return;
      default:
        this.#owner.control(this, message);
    }
  }

  #onChildFailed(phase: WorkerPhase, serialized: SerializedError): void {
    const error = childFailed(this.#owner.name, phase, serialized, this.#failedBatch);
    this.#failedBatch = undefined;
    this.#failureReported = true;
    this.#error ??= error;
    // A failure before onStart returned belongs to start(): it rejects once the child is gone.
    if (!this.#failStart(error)) this.#report(error);
    this.#owner.lifecycle('SELF_STOP');
  }

  #ended(link: RunLink, end: LinkEnd): void {
    // A spawn failure (including a child killed for not connecting) is always the run's error;
    // otherwise an exit counts when nobody asked for it and no failure explained it.
    if (end.spawnError instanceof WorkerError || (!this.#cleanStop && !this.#failureReported && !link.killed)) {
      const error = end.spawnError instanceof WorkerError ? end.spawnError : exitedUnasked(this.#owner.name, end);
      this.#error ??= error;
      if (!this.#failStart(error)) this.#report(error);
    }
    this.#over = true;
    this.#owner.ended(this);
    const error = this.#error;
    const startWaiter = this.#startWaiter;
    this.#startWaiter = undefined;
    // A start cancelled by a stop resolves, even when the stop had to kill the child (stop() reports that);
    // it rejects only when the run itself failed before onStart returned.
    const startFailure = this.#startError ?? (this.stopRequested ? undefined : (error ?? stoppedBeforeStarted(this.#owner.name)));
    if (startFailure) startWaiter?.reject(startFailure);
    else startWaiter?.resolve();
    const waiters = this.#stopWaiters;
    this.#stopWaiters = [];
    for (const waiter of waiters) {
      if (error && waiter.failOnError) waiter.reject(error);
      else waiter.resolve();
    }
    this.#owner.settled(error);
  }

  /**
   * Records why a pending start() fails (it rejects when the run has ended,
   * so that a rejected start() leaves a stopped worker behind). Returns
   * whether a start() was pending.
   */
  #failStart(error: Error): boolean {
    if (!this.#startWaiter) return false;
    this.#startError ??= error;
    if (this.#owner.status() !== 'stopped') this.#owner.lifecycle('SELF_STOP');
    return true;
  }

  #report(error: WorkerError): void {
    this.#owner.failed(error, () => this.#stopWaiters.some((waiter) => waiter.failOnError));
  }
}
