import type { WorkerError } from '../shared/errors.js';
import type { ChildControl, WorkerSpec, WorkerState } from '../shared/protocol.js';
import { getHub } from './hub.js';
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
  /** A run ended (or, with `undefined`, a start failed before any child existed). */
  runEnded(run: WorkerRun | undefined): void;
  /** After the run's waiters settled. */
  settled(error: WorkerError | undefined): void;
}

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
   */
  async start(buildSpec: () => WorkerSpec, options: ParentLinkOptions): Promise<void> {
    this.#startsInProgress++;
    if (this.status === 'stopped') this.#hooks.startRequested();
    try {
      await this.#start(buildSpec, options);
    } catch (error) {
      if (!this.#run) this.#hooks.runEnded(undefined); // failed before any child existed
      throw error;
    } finally {
      this.#startsInProgress--;
    }
  }

  async #start(buildSpec: () => WorkerSpec, options: ParentLinkOptions): Promise<void> {
    while (this.status !== 'stopped') {
      this.#restarting ??= this.stop()
        .catch((error: Error) => this.#hooks.restartStopFailed(error))
        .finally(() => {
          this.#restarting = undefined;
        });
      await this.#restarting;
    }
    await getHub().address();
    if (this.status !== 'stopped') return this.#start(buildSpec, options); // another start() won the race
    const run = this.#createRun(buildSpec(), options, this.#runOwner());
    this.#run = run;
    this.#actor.send({ type: 'START' });
    return run.started;
  }

  /**
   * Asks the child to stop; resolves once it exited and everything it sent
   * was delivered. Kills it after `timeout` ms (then rejects with ERR_STOP_TIMEOUT).
   */
  async stop(timeout = this.#stopTimeout): Promise<void> {
    const run = this.#run;
    if (this.status === 'stopped' || !run) return;
    const stopped = run.whenEnded(false);
    this.#actor.send({ type: 'STOP' });
    const cancelKill = run.killAfter(timeout);
    try {
      await stopped;
    } finally {
      cancelKill();
    }
  }

  /** Asks the child to drain its queue, then stop; rejects if the run fails. */
  drain(): Promise<void> {
    const run = this.#run;
    if (this.status === 'stopped' || !run) return Promise.resolve();
    const stopped = run.whenEnded(true);
    this.#actor.send({ type: 'STOP_AT_QUEUE_END' });
    return stopped;
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
