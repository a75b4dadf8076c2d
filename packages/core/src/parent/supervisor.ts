import type { WorkerError } from '../shared/errors.js';
import { log } from '../shared/logger.js';
import type { ChildControl, WorkerSpec, WorkerState } from '../shared/protocol.js';
import { getHub } from './hub.js';
import { armSignalHandling } from './signals.js';
import { createLifecycleActor, publicState, stateName, type LifecycleActor, type LifecycleStateName } from './lifecycle.js';
import type { ParentLinkOptions } from './parent-link.js';
import { WorkerRun, type RunOwner } from './run.js';

/** What the supervisor needs of its worker. */
export interface SupervisorHooks {
  readonly name: string;
  /** The public state changed (the worker emits 'state'). */
  stateChanged(state: WorkerState): void;
  /** start() was called on a stopped worker (synchronously, so that writers wait for it). */
  startRequested(): void;
  /** The stop that a restart does failed: report it; the start goes on. */
  restartStopFailed(error: Error): void;
  /** A drain was requested (consumers: their queue refuses new puts). */
  drainRequested(): void;
  /** A run's child is launching. */
  launching(run: WorkerRun): void;
  results(values: unknown[]): void;
  messages(values: unknown[]): void;
  control(run: WorkerRun, message: ChildControl): void;
  failed(error: WorkerError, awaited: () => boolean): void;
  /** News of an engine queue the worker uses (not a failure: `error.fatal` is false). */
  news(error: WorkerError): void;
  /** A run ended (or, with `undefined`, a start failed before any child existed). */
  runEnded(run: WorkerRun | undefined): void;
  /** After the run's waiters settled. */
  settled(error: WorkerError | undefined): void;
}

/** A stop that takes longer than this (ms) is logged as slow. */
const SLOW_STOP_MS = 1000;

/** Makes a run: the real one, or a test's stand-in. */
export type RunFactory = (spec: WorkerSpec, options: ParentLinkOptions, owner: RunOwner) => WorkerRun;

/**
 * The lifecycle of one worker across its runs: one xstate machine, the
 * current run, restarts, stops with a kill fallback, drains. The machine's
 * actions (launch, ask the child to stop or drain) act on the current run.
 */
export class Supervisor {
  #hooks: SupervisorHooks;
  #stopTimeout: number;
  #createRun: RunFactory;
  #actor: LifecycleActor;
  #run: WorkerRun | undefined;
  #shownState: WorkerState = 'stopped';
  #restarting: Promise<void> | undefined;
  #startsInProgress = 0;
  /** Counts start() calls; those numbered up to `#cancelledUpTo` were cancelled by a stop. */
  #epoch = 0;
  #cancelledUpTo = 0;
  /** The start() calls under way, settled either way. */
  #pendingStarts = new Set<Promise<void>>();
  #finishedRuns = 0;
  #stopResult: unknown;

  /** @param stopTimeout how long a stop waits before it kills the child, unless the stop says otherwise. */
  constructor(
    hooks: SupervisorHooks,
    stopTimeout: number,
    createRun: RunFactory = (spec, options, owner) => new WorkerRun(spec, options, owner),
  ) {
    this.#hooks = hooks;
    this.#stopTimeout = stopTimeout;
    this.#createRun = createRun;
    this.#actor = createLifecycleActor({
      launch: () => this.#run!.launch(),
      requestStop: () => this.#run?.send({ type: 'stop' }),
      requestDrain: () => {
        this.#run?.send({ type: 'stopAtQueueEnd' });
        hooks.drainRequested();
      },
    });
    this.#actor.subscribe((snapshot) => this.#showState(publicState(snapshot)));
  }

  get state(): WorkerState {
    return publicState(this.#actor.getSnapshot());
  }

  get status(): LifecycleStateName {
    return stateName(this.#actor.getSnapshot());
  }

  /** The current run, from launch until its child exited and everything was delivered. */
  get run(): WorkerRun | undefined {
    return this.#run;
  }

  /** Stopped, and no start() under way: nothing will come from this worker until the next start(). */
  get idle(): boolean {
    return this.status === 'stopped' && this.#startsInProgress === 0;
  }

  get finishedRuns(): number {
    return this.#finishedRuns;
  }

  get stopResult(): unknown {
    return this.#run ? this.#run.stopResult : this.#stopResult;
  }

  /**
   * Starts a run (restarting a running worker first); resolves once the
   * child's onStart returned. `buildSpec` runs once the main process's
   * socket listens (queue bindings need its address).
   *
   * A stop() or drain() that comes before this resolves cancels it: a start
   * that has not launched its child yet never does, and one whose child is
   * starting is stopped. Either way the start resolves (the stop was asked
   * for) once the worker is stopped, and rejects only if the run failed.
   */
  async start(buildSpec: () => WorkerSpec, options: ParentLinkOptions): Promise<void> {
    const epoch = ++this.#epoch;
    armSignalHandling();
    this.#startsInProgress++;
    if (this.status === 'stopped') this.#hooks.startRequested();
    const attempt = this.#start(epoch, buildSpec, options);
    const settled = attempt.then(
      () => {},
      () => {},
    );
    this.#pendingStarts.add(settled);
    try {
      await attempt;
    } catch (error) {
      if (!this.#run && this.#startsInProgress === 1) this.#hooks.runEnded(undefined); // failed before any child existed
      throw error;
    } finally {
      this.#startsInProgress--;
      this.#pendingStarts.delete(settled);
    }
  }

  async #start(epoch: number, buildSpec: () => WorkerSpec, options: ParentLinkOptions): Promise<void> {
    while (this.status !== 'stopped') {
      this.#restarting ??= this.#stopRun(this.#stopTimeout)
        .catch((error: Error) => this.#hooks.restartStopFailed(error))
        .finally(() => {
          this.#restarting = undefined;
        });
      await this.#restarting;
      if (this.#cancelled(epoch)) return this.#abandon();
    }
    await getHub().address();
    if (this.#cancelled(epoch)) return this.#abandon();
    if (this.status !== 'stopped') return this.#start(epoch, buildSpec, options); // another start() won the race
    const run = this.#createRun(buildSpec(), options, this.#runOwner());
    this.#run = run;
    this.#actor.send({ type: 'START' });
    return run.started;
  }

  /** A start() cancelled before it launched: undo its announcement unless another start() is still on its way. */
  #abandon(): void {
    if (!this.#run && this.status === 'stopped' && this.#startsInProgress === 1) this.#hooks.runEnded(undefined);
  }

  #cancelled(epoch: number): boolean {
    return epoch <= this.#cancelledUpTo;
  }

  /** Cancels every start() called so far, and resolves once they all settled. */
  #cancelStarts(): Promise<unknown> {
    this.#cancelledUpTo = this.#epoch;
    return Promise.all([...this.#pendingStarts]);
  }

  /**
   * Stops the worker, whatever is in flight: a pending start() is cancelled,
   * a running child is asked to stop; resolves once it exited and everything
   * it sent was delivered. Kills it after `timeout` ms (then rejects with
   * ERR_STOP_TIMEOUT).
   */
  async stop(timeout = this.#stopTimeout): Promise<void> {
    const starts = this.#cancelStarts();
    // A start() launches its child only if not cancelled by then (checked in the same turn), so a
    // cancelled start never makes a child: stopping the current run, if any, is enough.
    try {
      await this.#stopRun(timeout);
    } finally {
      await starts;
    }
  }

  async #stopRun(timeout: number): Promise<void> {
    const run = this.#run;
    if (this.status === 'stopped' || !run) return;
    run.stopRequested = true;
    const stopped = run.whenEnded(false);
    this.#actor.send({ type: 'STOP' });
    const cancelKill = run.killAfter(timeout);
    const began = performance.now();
    try {
      await stopped;
    } catch (error) {
      log('warn', `worker '${this.#hooks.name}' did not stop in ${timeout} ms and was killed`, { worker: this.#hooks.name, timeout });
      throw error;
    } finally {
      cancelKill();
      const took = performance.now() - began;
      if (took > SLOW_STOP_MS) log('warn', `worker '${this.#hooks.name}' took ${Math.round(took)} ms to stop`, { worker: this.#hooks.name, ms: Math.round(took) });
    }
  }

  /** Asks the child to drain its queue, then stop; rejects if the run fails. Cancels a pending start(). */
  async drain(): Promise<void> {
    const starts = this.#cancelStarts();
    const run = this.#run;
    try {
      if (this.status !== 'stopped' && run) {
        run.stopRequested = true;
        const stopped = run.whenEnded(true);
        this.#actor.send({ type: 'STOP_AT_QUEUE_END' });
        await stopped;
      }
    } finally {
      await starts;
    }
  }

  #runOwner(): RunOwner {
    const hooks = this.#hooks;
    return {
      name: hooks.name,
      status: () => this.status,
      lifecycle: (event) => this.#actor.send({ type: event }),
      launching: (run) => hooks.launching(run),
      results: (values) => hooks.results(values),
      messages: (values) => hooks.messages(values),
      control: (run, message) => hooks.control(run, message),
      failed: (error, awaited) => hooks.failed(error, awaited),
      news: (error) => hooks.news(error),
      ended: (run) => {
        hooks.runEnded(run);
        this.#finishedRuns++;
        this.#stopResult = run.stopResult;
        this.#run = undefined;
        this.#actor.send({ type: 'EXITED' });
      },
      settled: (error) => hooks.settled(error),
    };
  }

  #showState(state: WorkerState): void {
    if (state === this.#shownState) return;
    this.#shownState = state;
    this.#hooks.stateChanged(state);
  }
}
