import { EventEmitter } from 'node:events';
import { CodecError, type CodecName } from '@prodcon/ipc';
import {
  ConfigError,
  StateError,
  WorkerError,
  deserializeError,
  type SerializedError,
  type WorkerPhase,
} from '../errors.js';
import {
  createLifecycleActor,
  publicState,
  stateName,
  type LifecycleActor,
  type LifecycleStateName,
} from '../lifecycle/machine.js';
import { DEFAULT_STOP_TIMEOUT, checkDuration, describe, mergeArgs, validateWorkerOptions, type WorkerOptions } from '../options.js';
import { getHub } from '../parent/hub.js';
import { Session, type SessionEnd } from '../parent/session.js';
import type { ChildControl, QueueBinding, WorkerKind, WorkerSpec, WorkerState } from '../protocol.js';
import type { ReadyQueue } from '../queue/ready-queue.js';
import { FRAMEWORK_CLASS, assertMainProcess, childClass, mainScriptUrl } from './child-class.js';

export { FRAMEWORK_CLASS };
import { raise } from '../raise.js';
import { ResultStreams } from './result-streams.js';
import type { WorkContext, WorkLoopControl } from './types.js';

export interface StartOptions<TArgs> {
  /** Merged over the constructor's args for this run (objects merge; other values replace). */
  args?: Partial<TArgs> | TArgs;
}

export interface StopOptions {
  /** Milliseconds to wait for onStop and exit before the child is killed (default: the worker's stopTimeout, 5000). */
  timeout?: number;
}

export interface WorkerEvents<TResult> {
  result: [result: TResult];
  message: [message: unknown];
  state: [state: WorkerState];
  error: [error: Error];
  newListener: [event: string | symbol, listener: (...args: any[]) => void];
  removeListener: [event: string | symbol, listener: (...args: any[]) => void];
}

/**
 * What Producer and Consumer share: a child process per run, a lifecycle
 * machine, a result channel and a two-way message channel.
 *
 * Subclass Producer or Consumer, not Worker.
 */
export abstract class Worker<TResult = unknown, TArgs = unknown, TStart = unknown> extends EventEmitter<
  WorkerEvents<TResult>
> {
  /**
   * The module that defines (and exports) this class, so that the child can
   * load it: set it to `import.meta.url`. Defaults to the main script, like
   * Python's spawn mode; guard the main script's own code with
   * `if (isMainProcess())`, since the child loads that module too.
   */
  static moduleUrl?: string;

  /** @internal */
  static readonly [FRAMEWORK_CLASS] = true;

  /** Runs once in the child before the first `work`; what it returns is `ctx.startResult`. */
  static onStart(_ctx: WorkContext<any, any>): unknown {
    return undefined;
  }

  /** Runs once in the child after the last `work`, also after a failed `work`. */
  static onStop(_ctx: WorkContext<any, any>): unknown {
    return undefined;
  }

  /** The loop that runs in the child and calls the hooks. */
  static workLoop(_control: WorkLoopControl): Promise<void> | void {
    throw new Error('Worker.workLoop: subclass Producer or Consumer');
  }

  readonly name: string;
  protected readonly options: WorkerOptions<TArgs>;
  protected readonly kind: WorkerKind;
  #actor: LifecycleActor;
  #session: Session | undefined;
  #shownState: WorkerState = 'stopped';
  #subscribers: ReadyQueue[] = [];
  #unsubscribeBindings: Array<() => void> = [];
  #bindingUpdateScheduled = false;
  #startWaiter: { resolve: () => void; reject: (error: Error) => void } | undefined;
  #stopWaiters: Array<{ resolve: () => void; reject: (error: Error) => void; failOnError: boolean }> = [];
  #runError: WorkerError | undefined;
  #failureReported = false;
  #cleanStop = false;
  #streams = new ResultStreams<TResult>({
    idle: () => this.status === 'stopped' && this.#startsInProgress === 0,
    listenersChanged: () => this.#updateWantResults(),
    setReading: (reading) => (reading ? this.#session?.resumeReading() : this.#session?.pauseReading()),
  });
  #wantResults = false;
  #restarting: Promise<void> | undefined;
  #startsInProgress = 0;
  #startError: Error | undefined;
  #stopResult: unknown;
  #held: unknown[] | undefined;
  #finishedRuns = 0;

  constructor(kind: WorkerKind, options: WorkerOptions<TArgs> = {}) {
    super();
    const className = new.target.name;
    this.kind = kind;
    this.name = validateWorkerOptions(className, options ?? {});
    this.options = { ...options };
    this.#actor = createLifecycleActor({
      launch: () => this.#launch(),
      requestStop: () => this.#session?.send({ type: 'stop' }),
      requestDrain: () => this.#requestDrain(),
    });
    this.#actor.subscribe((snapshot) => this.#showState(publicState(snapshot)));
    this.on('newListener', (event) => {
      if (event === 'result') queueMicrotask(() => this.#updateWantResults());
    });
    this.on('removeListener', (event) => {
      if (event === 'result') this.#updateWantResults();
    });
  }

  // --- public API ------------------------------------------------------------------

  /** `stopped`, `started` or `stopAtQueueEnd`. */
  getState(): WorkerState {
    return publicState(this.#actor.getSnapshot());
  }

  /** The detailed lifecycle state: starting, running, draining, stopping, stoppingDrain or stopped. */
  get status(): LifecycleStateName {
    return stateName(this.#actor.getSnapshot());
  }

  /** Runs that ended (the child exited, everything delivered): lets downstream stages see an upstream finish. */
  get finishedRuns(): number {
    return this.#finishedRuns;
  }

  /** What onStop returned in the last run (undefined until a run ended, or if it returned nothing). */
  get stopResult(): unknown {
    return this.#stopResult;
  }

  /** The child's process id while it runs. */
  get pid(): number | undefined {
    return this.#session?.pid;
  }

  /**
   * Starts the worker in a new child process; resolves once its onStart has
   * returned. On a running worker it restarts it: stop (with the stop timeout
   * and a kill fallback), then start afresh.
   * @throws WorkerError when the module cannot be loaded or onStart throws.
   */
  async start(options: StartOptions<TArgs> = {}): Promise<void> {
    assertMainProcess(this.name);
    if (options === null || typeof options !== 'object') {
      throw new ConfigError('ERR_INVALID_OPTION', `Worker '${this.name}': start() options must be an object, got ${describe(options)}`);
    }
    this.#startsInProgress++;
    // Announce the start synchronously, so that writers started in the same tick wait for this worker instead of dropping.
    if (this.status === 'stopped') this.onStartRequested();
    try {
      await this.#start(options);
    } catch (error) {
      if (!this.#session) this.onRunEnded(); // failed before any child existed
      throw error;
    } finally {
      this.#startsInProgress--;
    }
  }

  async #start(options: StartOptions<TArgs>): Promise<void> {
    while (this.status !== 'stopped') {
      this.#restarting ??= this.stop().catch((error: Error) => raise(this, error)).finally(() => {
        this.#restarting = undefined;
      });
      await this.#restarting;
    }
    const args = mergeArgs(this.options.args, options.args);
    const spec = this.#buildSpec(args);
    // Queues hosted by the main process are reached through its socket: it must listen before bindings are made.
    await getHub().address();
    if (this.status !== 'stopped') return this.#start(options); // another start() won the race
    spec.subscribers = this.#subscribers.map((queue) => queue.binding());
    this.#runError = undefined;
    this.#stopResult = undefined;
    this.#failureReported = false;
    this.#cleanStop = false;
    const started = new Promise<void>((resolve, reject) => (this.#startWaiter = { resolve, reject }));
    this.#pendingSpec = spec;
    this.#actor.send({ type: 'START' });
    return started;
  }

  /**
   * Stops the worker: the current `work` call finishes (its `ctx.signal` is
   * aborted at once), onStop runs, the child exits. Resolves after that and
   * after every result and message it sent was delivered. Harmless on a
   * stopped worker.
   * @throws WorkerError (`ERR_STOP_TIMEOUT`) when the child had to be killed after `timeout` ms.
   */
  async stop(options: StopOptions = {}): Promise<void> {
    const timeout =
      options.timeout === undefined
        ? (this.options.stopTimeout ?? DEFAULT_STOP_TIMEOUT)
        : checkDuration(`Worker '${this.name}'`, 'timeout', options.timeout);
    if (this.status === 'stopped') return;
    const session = this.#session;
    const stopped = this.#whenStopped(false);
    this.#actor.send({ type: 'STOP' });
    const timer = setTimeout(() => {
      if (this.#session === session) this.#killAfterTimeout(session!, timeout);
    }, timeout);
    try {
      await stopped;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Sends a message to the child (`ctx.messages` there). Messages sent in the
   * same turn travel as one frame, in order.
   * @throws StateError when the worker is not running; CodecError for values that cannot cross.
   */
  sendMessage(message: unknown): void {
    const session = this.#session;
    if (!session || this.status === 'stopped') {
      throw new StateError('ERR_WORKER_NOT_RUNNING', `Worker '${this.name}' is not running: start() it before sendMessage()`);
    }
    try {
      session.sendMessage(message);
    } catch (error) {
      if (error instanceof CodecError) {
        throw new CodecError(error.code, `Worker '${this.name}': ${error.message}`, { cause: error });
      }
      throw error;
    }
  }

  /** Called in the main process for every result. The default emits 'result'. Override it, or listen. */
  onResult(result: TResult): void {
    this.emit('result', result);
  }

  /** Called in the main process for every message from the child. The default emits 'message'. */
  onMessage(message: unknown): void {
    this.emit('message', message);
  }

  /**
   * The worker's results as an async iterable. It ends when the worker stops
   * and throws the worker's error if it fails. If the caller reads more slowly
   * than results come, the child waits (nothing piles up without bound).
   */
  results(): AsyncIterable<TResult> {
    return this.#streams.iterable();
  }

  /** Queues this worker's output goes to (every item or result, to each queue once). */
  setSubscribers(queues: ReadyQueue<any>[]): void {
    if (!Array.isArray(queues)) {
      throw new ConfigError(
        'ERR_INVALID_OPTION',
        `Worker '${this.name}': setSubscribers() takes an array of ReadyQueues, got ${describe(queues)}`,
      );
    }
    for (const queue of queues) {
      if (!queue || typeof queue.binding !== 'function') {
        throw new ConfigError(
          'ERR_INVALID_OPTION',
          `Worker '${this.name}': subscribers must be ReadyQueues (e.g. consumer.getWorkQueue()), got ${describe(queue)}`,
        );
      }
    }
    for (const queue of this.#subscribers) queue.upstreams.delete(this);
    this.#subscribers = [...queues];
    for (const queue of this.#subscribers) queue.upstreams.add(this);
    if (this.#session) {
      this.#watchSubscribers();
      this.#scheduleBindingUpdate();
    }
  }

  /** The subscriber queues. */
  getSubscribers(): ReadyQueue<any>[] {
    return [...this.#subscribers];
  }

  /** `await using worker = ...`: stops the worker when the scope ends. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  // --- for subclasses ---------------------------------------------------------------

  /** Kind-specific parts of the spec. */
  protected abstract specFields(): Pick<WorkerSpec, 'workTimeout' | 'maxBufferSize' | 'queue'>;

  /** Called synchronously when start() is called on a stopped worker. */
  protected onStartRequested(): void {}

  /** Called when this run's child is being launched. */
  protected onLaunch(_session: Session): void {}

  /** Called when this run ended (the child exited and everything was delivered). */
  protected onRunEnded(): void {}

  /** Called for queue counters reported by the child. */
  protected routeQueueStats(reporter: string, message: Extract<ChildControl, { type: 'queueStats' }>): void {
    for (const stats of message.stats) {
      for (const queue of this.#subscribers) if (queue.id === stats.queueId) queue.report(reporter, stats);
    }
  }

  /** Called for a control message the base class does not handle (e.g. `hosting`). */
  protected onChildControl(_message: ChildControl): void {}

  /** Asks the child to drain (consumers). */
  protected drain(): Promise<void> {
    if (this.status === 'stopped') return Promise.resolve();
    const stopped = this.#whenStopped(true);
    this.#actor.send({ type: 'STOP_AT_QUEUE_END' });
    return stopped;
  }

  /** The running session, if any. */
  protected get session(): Session | undefined {
    return this.#session;
  }

  // --- internals --------------------------------------------------------------------

  #pendingSpec: WorkerSpec | undefined;

  #buildSpec(args: unknown): WorkerSpec {
    const constructor = childClass(this.constructor as typeof Worker);
    const moduleUrl = constructor.moduleUrl ?? mainScriptUrl(this.name);
    return {
      kind: this.kind,
      name: this.name,
      moduleUrl,
      className: constructor.name,
      args,
      codec: (this.options.codec ?? 'auto') as CodecName,
      ...this.specFields(),
      subscribers: [],
      wantResults: this.#computeWantResults(),
    };
  }

  #launch(): void {
    const spec = this.#pendingSpec!;
    this.#pendingSpec = undefined;
    spec.wantResults = this.#computeWantResults(); // listeners or iterators may have come since the spec was built
    const session = new Session(
      spec,
      { output: this.options.output ?? 'prefix', execArgv: this.options.execArgv },
      {
        onControl: (message) => this.#onControl(session, message),
        onResults: (values) => this.#onResults(values),
        onMessages: (values) => this.#onMessages(values),
        onFinal: (value) => {
          this.#stopResult = value;
        },
        onHeld: (items) => {
          this.#held = items;
        },
      },
    );
    this.#session = session;
    this.#wantResults = spec.wantResults;
    this.#watchSubscribers();
    this.onLaunch(session);
    void session.ended.then((end) => this.#onSessionEnded(session, end));
    session.launch().catch((error: Error) => {
      this.#failStart(error);
    });
  }

  #onControl(session: Session, message: ChildControl): void {
    if (session !== this.#session) return;
    switch (message.type) {
      case 'started': {
        this.#actor.send({ type: 'STARTED' });
        const waiter = this.#startWaiter;
        this.#startWaiter = undefined;
        waiter?.resolve();
        return;
      }
      case 'failed':
        this.#onChildFailed(message.phase, message.error);
        return;
      case 'stopping':
        this.#actor.send({ type: 'SELF_STOP' });
        return;
      case 'queueStats':
        this.routeQueueStats(session.id, message);
        return;
      case 'stopped':
        this.#cleanStop = true;
        return;
      default:
        this.onChildControl(message);
    }
  }

  #onChildFailed(phase: WorkerPhase, serialized: SerializedError): void {
    const cause = deserializeError(serialized);
    const code = serialized.code === 'ERR_WORKER_MODULE' ? 'ERR_WORKER_MODULE' : 'ERR_WORKER_FAILED';
    const message =
      code === 'ERR_WORKER_MODULE'
        ? serialized.message
        : `Worker '${this.name}' failed in ${phase}: ${serialized.name === 'Error' ? '' : `${serialized.name}: `}${serialized.message}`;
    const error = new WorkerError(code, { worker: this.name, phase, message, cause, held: this.#held });
    this.#held = undefined;
    this.#failureReported = true;
    this.#runError ??= error;
    // A failure before onStart returned belongs to start(): it rejects once the child is gone.
    if (!this.#failStart(error)) this.#reportError(error);
    this.#actor.send({ type: 'SELF_STOP' });
  }

  #onResults(values: unknown[]): void {
    for (const value of values) {
      try {
        this.onResult(value as TResult);
      } catch (error) {
        this.#callbackFailed('onResult', error);
      }
      this.#streams.push(value);
    }
    this.#streams.checkBackPressure();
  }

  #onMessages(values: unknown[]): void {
    for (const value of values) {
      try {
        this.onMessage(value);
      } catch (error) {
        this.#callbackFailed('onMessage', error);
      }
    }
  }

  /** A user callback threw in the main process: report it, keep delivering (the child is not affected). */
  #callbackFailed(callback: string, error: unknown): void {
    raise(this, error instanceof Error ? error : new Error(`${callback} threw a non-error value: ${describe(error)}`));
  }


  #onSessionEnded(session: Session, end: SessionEnd): void {
    if (session !== this.#session) return;
    if (!this.#cleanStop && !this.#failureReported && !session.killed) {
      const how = end.signal ? `was killed by ${end.signal}` : `exited with code ${end.exitCode}`;
      const error =
        end.spawnError instanceof WorkerError
          ? end.spawnError
          : new WorkerError('ERR_WORKER_EXITED', {
              worker: this.name,
              phase: 'exit',
              message: end.linked
                ? `Worker '${this.name}': its child process ${how} without being asked to stop`
                : `Worker '${this.name}': its child process ${how} before it connected (see its output above)`,
              exitCode: end.exitCode,
              signal: end.signal,
            });
      this.#runError ??= error;
      if (!this.#failStart(error)) this.#reportError(error);
    }
    for (const unsubscribe of this.#unsubscribeBindings) unsubscribe();
    this.#unsubscribeBindings = [];
    for (const queue of this.#subscribers) queue.retireReporter(session.id);
    this.onRunEnded();
    this.#finishedRuns++;
    this.#session = undefined;
    this.#actor.send({ type: 'EXITED' });
    const error = this.#runError;
    const startWaiter = this.#startWaiter;
    this.#startWaiter = undefined;
    startWaiter?.reject(
      this.#startError ??
        error ??
        new WorkerError('ERR_WORKER_EXITED', {
          worker: this.name,
          phase: 'onStart',
          message: `Worker '${this.name}' was stopped before its onStart returned`,
        }),
    );
    this.#startError = undefined;
    const waiters = this.#stopWaiters;
    this.#stopWaiters = [];
    for (const waiter of waiters) {
      if (error && waiter.failOnError) waiter.reject(error);
      else waiter.resolve();
    }
    this.#streams.runEnded(error);
  }

  /**
   * Records why a pending start() fails (it rejects when the session has
   * ended, so that a rejected start() leaves a stopped worker behind).
   * Returns whether a start() was pending.
   */
  #failStart(error: Error): boolean {
    if (!this.#startWaiter) return false;
    this.#startError ??= error;
    if (this.status !== 'stopped') this.#actor.send({ type: 'SELF_STOP' });
    return true;
  }

  /**
   * Delivers a run error: to iterators and stopAtQueueEnd() waiters that will
   * see it, and as an 'error' event. With no 'error' listener and nobody else
   * to tell, it is thrown (as Node's EventEmitter does): a worker never dies silently.
   */
  #reportError(error: WorkerError): void {
    this.#streams.fail(error);
    raise(this, error, () => this.#streams.size > 0 || this.#stopWaiters.some((waiter) => waiter.failOnError));
  }


  #killAfterTimeout(session: Session, timeout: number): void {
    const error = new WorkerError('ERR_STOP_TIMEOUT', {
      worker: this.name,
      phase: 'onStop',
      message: `Worker '${this.name}' did not stop within ${timeout} ms (a hook ignores ctx.signal?): its child was killed`,
    });
    this.#runError ??= error;
    for (const waiter of this.#stopWaiters) waiter.failOnError = true;
    session.kill('SIGKILL');
  }

  #whenStopped(failOnError: boolean): Promise<void> {
    return new Promise((resolve, reject) => this.#stopWaiters.push({ resolve, reject, failOnError }));
  }

  #requestDrain(): void {
    this.#session?.send({ type: 'stopAtQueueEnd' });
    this.onDrainRequested();
  }

  /** Called when a drain was requested (consumers: their queue refuses new puts). */
  protected onDrainRequested(): void {}

  #showState(state: WorkerState): void {
    if (state === this.#shownState) return;
    this.#shownState = state;
    try {
      this.emit('state', state);
    } catch (error) {
      this.#callbackFailed("a 'state' listener", error);
    }
  }

  #watchSubscribers(): void {
    for (const unsubscribe of this.#unsubscribeBindings) unsubscribe();
    this.#unsubscribeBindings = this.#subscribers.map((queue) => queue.onBindingChange(() => this.#scheduleBindingUpdate()));
  }

  #scheduleBindingUpdate(): void {
    if (this.#bindingUpdateScheduled) return;
    this.#bindingUpdateScheduled = true;
    queueMicrotask(() => {
      this.#bindingUpdateScheduled = false;
      const session = this.#session;
      if (!session) return;
      const queues: QueueBinding[] = this.#subscribers.map((queue) => queue.binding());
      session.send({ type: 'subscribers', queues });
    });
  }

  #computeWantResults(): boolean {
    const overridden = (this as { onResult: unknown }).onResult !== Worker.prototype.onResult;
    return overridden || this.listenerCount('result') > 0 || this.#streams.size > 0;
  }

  #updateWantResults(): void {
    const want = this.#computeWantResults();
    if (want === this.#wantResults) return;
    this.#wantResults = want;
    this.#session?.send({ type: 'wantResults', on: want });
  }


}

