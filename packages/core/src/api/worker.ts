import { EventEmitter } from 'node:events';
import { CodecError, SizeError, checkSize, inspectValue } from '@prodcon/ipc';
import { SubscriberBindings } from '../parent/bindings.js';
import { FRAMEWORK_CLASS, assertMainProcess, defaultWorkerName } from '../parent/child-class.js';
import { WorkerInstruments } from '../parent/instruments.js';
import { callUser, deliverEach, raise, reportRejection, tell } from '../parent/raise.js';
import { ResultDemand } from '../parent/result-demand.js';
import { ResultStreams } from '../parent/result-streams.js';
import type { WorkerRun } from '../parent/run.js';
import { register } from '../parent/registry.js';
import { buildSpec, type KindFields } from '../parent/spec.js';
import { Supervisor } from '../parent/supervisor.js';
import { describe } from '../shared/describe.js';
import { StateError } from '../shared/errors.js';
import type { WorkContext, WorkLoopControl } from '../shared/hooks.js';
import type { WorkerMetrics } from '../shared/metrics-types.js';
import type { ChildControl, ParentControl, WorkerKind, WorkerSpec, WorkerState } from '../shared/protocol.js';
import {
  DEFAULT_CONNECT_TIMEOUT,
  DEFAULT_STOP_TIMEOUT,
  checkDuration,
  checkSubscribers,
  invalidOption,
  mergeArgs,
  optionOwner,
  validateWorkerOptions,
  type StartOptions,
  type StopOptions,
  type WorkerOptions,
} from './options.js';
import type { ReadyQueue, SubscriberQueue } from './ready-queue.js';
import { WORKER_TYPES, type WorkerEvents, type WorkerStatus, type WorkerTypeRecord } from './worker-types.js';

export { FRAMEWORK_CLASS };

/**
 * What Producer and Consumer share: a child process per run, a lifecycle
 * machine, a result channel and a two-way message channel.
 *
 * Subclass Producer or Consumer (or use defineProducer/defineConsumer), not Worker.
 *
 * @typeParam TResult - what `work` returns: a producer's items, a consumer's results
 * @typeParam TArgs - `args` (the options' and start()'s), as `ctx.args`
 * @typeParam TStart - what onStart returns, as `ctx.startResult`
 * @typeParam TMessage - messages from the main process to the child (`sendMessage`)
 * @typeParam TReply - messages from the child to the main process (the 'message' event); defaults to TMessage
 */
export abstract class Worker<TResult = unknown, TArgs = unknown, TStart = unknown, TMessage = unknown, TReply = TMessage> extends EventEmitter<
  WorkerEvents<TResult, TReply>
> {
  /** Type level only (never set): the type parameters by name, for `ContextOf<W>`, pools and pipelines. */
  declare readonly [WORKER_TYPES]?: WorkerTypeRecord<unknown, TResult, TArgs, TStart, TMessage, TReply>;

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
  static onStart(_ctx: WorkContext<any, any, any, any>): unknown {
    return undefined;
  }

  /** Runs once in the child after the last `work`, also after a failed `work`. */
  static onStop(_ctx: WorkContext<any, any, any, any>): unknown {
    return undefined;
  }

  /** The loop that runs in the child and calls the hooks. */
  static workLoop(_control: WorkLoopControl): Promise<void> | void {
    throw new Error('Worker.workLoop: subclass Producer or Consumer');
  }

  readonly name: string;
  protected readonly options: WorkerOptions<TArgs>;
  protected readonly kind: WorkerKind;
  #supervisor: Supervisor;
  #subscribers = new SubscriberBindings<ReadyQueue<any>>(this);
  #streams = new ResultStreams<TResult>({
    idle: () => this.#supervisor.idle,
    listenersChanged: () => this.#demand.update(),
    setReading: (reading) => this.#supervisor.run?.setReading(reading),
  });
  #demand = new ResultDemand(
    () => this.#overridesOnResult() || this.listenerCount('result') > 0 || this.#streams.size > 0,
    (on) => this.#supervisor.run?.send({ type: 'wantResults', on }),
  );
  #instruments: WorkerInstruments;

  protected constructor(kind: WorkerKind, options: WorkerOptions<TArgs> = {}) {
    // An async listener that rejects is reported as a CallbackError (see the rejection handler), not left unhandled.
    super({ captureRejections: true });
    this.kind = kind;
    this.name = validateWorkerOptions(defaultWorkerName(new.target), options ?? {});
    this.options = { ...options };
    this.#supervisor = new Supervisor(this.#supervisorHooks(), this.stopTimeout);
    this.#instruments = new WorkerInstruments(this, kind, options.metricsInterval, (on) => this.#supervisor.run?.send({ type: 'metrics', on }));
    register('worker', this);
    this.on('newListener', (event) => {
      if (event === 'result') queueMicrotask(() => this.#demand.update());
    });
    this.on('removeListener', (event) => {
      if (event === 'result') this.#demand.update();
    });
  }

  /**
   * A snapshot of this worker's metrics: state, process, counters with their
   * rates, `work` durations, back-pressure, the last error (see WorkerMetrics).
   * Counters come from the child every 250 ms while they change, and are exact
   * once it stopped.
   */
  metrics(): WorkerMetrics {
    return this.#instruments.snapshot();
  }

  /** `stopped`, `started` or `stopAtQueueEnd`. */
  getState(): WorkerState {
    return this.#supervisor.state;
  }

  /** The detailed state: starting, running, paused (a producer), draining, stopping, stoppingDrain or stopped. */
  get status(): WorkerStatus {
    return this.#supervisor.status;
  }

  /** Runs that ended (the child exited, everything delivered): lets downstream stages see an upstream finish. */
  get finishedRuns(): number {
    return this.#supervisor.finishedRuns;
  }

  /** What onStop returned in the last run (undefined until a run ended, or if it returned nothing). */
  get stopResult(): unknown {
    return this.#supervisor.stopResult;
  }

  /** The child's process id while it runs. */
  get pid(): number | undefined {
    return this.#supervisor.run?.pid;
  }

  /** How long a stop waits for onStop and the exit before it kills the child (ms; the `stopTimeout` option). */
  get stopTimeout(): number {
    return this.options.stopTimeout ?? DEFAULT_STOP_TIMEOUT;
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
      throw invalidOption(optionOwner('Worker', this.name), `start() options must be an object, got ${describe(options)}`);
    }
    const args = mergeArgs(this.options.args, options.args);
    // Refuse args that cannot cross (a function, a symbol) here, before anything starts.
    withWorkerName(this.name, () => checkSize(args, inspectValue(args, 'args'), this.options.codec ?? 'auto', 'args'));
    const build = (): WorkerSpec =>
      buildSpec({
        kind: this.kind,
        name: this.name,
        workerClass: this.constructor,
        args,
        codec: this.options.codec,
        connectTimeout: this.options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT,
        kindFields: this.specFields(),
        subscribers: this.#subscribers.bindings(),
        wantResults: this.#demand.current(),
        ...this.#instruments.specFields(),
      });
    await this.#supervisor.start(build, {
      output: this.options.output ?? 'prefix',
      execArgv: this.options.execArgv,
      connectTimeout: this.options.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT,
    });
  }

  /**
   * Stops the worker: the current `work` call finishes (its `ctx.signal` is
   * aborted at once), onStop runs, the child exits. Resolves after that and
   * after every result and message it sent was delivered. Harmless on a
   * stopped worker.
   * @throws WorkerError (`ERR_STOP_TIMEOUT`) when the child had to be killed after `timeout` ms.
   */
  async stop(options: StopOptions = {}): Promise<void> {
    const timeout = options.timeout === undefined ? undefined : checkDuration(optionOwner('Worker', this.name), 'timeout', options.timeout);
    await this.#supervisor.stop(timeout);
  }

  /**
   * Sends a message to the child (`ctx.messages` there). Messages sent in the
   * same turn travel as one frame, in order. Allowed while the worker starts,
   * runs or drains; refused once a stop was requested (`stop()`, `ctx.stop()`,
   * END, a failure): the child no longer waits for messages then.
   * @throws StateError (`ERR_WORKER_NOT_RUNNING`) when stopped or stopping; CodecError for values that cannot cross.
   */
  sendMessage(message: TMessage): void {
    const run = this.#supervisor.run;
    const stopping = this.status === 'stopping' || this.status === 'stoppingDrain';
    if (!run || this.status === 'stopped' || stopping) {
      const why = stopping ? 'is stopping: sendMessage() is refused once a stop was requested' : 'is not running: start() it before sendMessage()';
      throw new StateError('ERR_WORKER_NOT_RUNNING', `Worker '${this.name}' ${why}`);
    }
    withWorkerName(this.name, () => run.sendMessage(message));
  }

  /**
   * Called in the main process for every result. The default emits 'result'. Override it, or listen.
   * It (or a listener) may be async: a throw or a rejected promise is reported as an 'error' event
   * (a CallbackError naming the worker and the callback), and delivery goes on.
   */
  onResult(result: TResult): void {
    this.emit('result', result);
  }

  /** Called in the main process for every message from the child. The default emits 'message'. May be async, as onResult. */
  onMessage(message: TReply): void {
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

  /** Queues this worker's output goes to (every item or result, to each queue once): queues that take TResult. */
  setSubscribers(queues: SubscriberQueue<TResult>[]): void {
    this.#subscribers.set(checkSubscribers(this.name, queues));
  }

  /** The subscriber queues. */
  getSubscribers(): ReadyQueue<any>[] {
    return this.#subscribers.queues;
  }

  /** @internal Kills the child at once (a second Ctrl-C), without waiting for anything. */
  killNow(): void {
    this.#supervisor.run?.kill();
  }

  /** `await using worker = ...`: stops the worker when the scope ends. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  // --- for subclasses ---------------------------------------------------------------

  /** Kind-specific parts of the spec. */
  protected abstract specFields(): KindFields;

  /** Called synchronously when start() is called on a stopped worker. */
  protected onStartRequested(): void {}

  /** Called when this run's child is being launched. */
  protected onLaunch(_run: WorkerRun): void {}

  /** Called when this run ended (the child exited and everything was delivered). */
  protected onRunEnded(): void {}

  /** Called for queue counters reported by the child. */
  protected routeQueueStats(reporter: string, message: Extract<ChildControl, { type: 'queueStats' }>): void {
    this.#subscribers.report(reporter, message);
  }

  /** Called for a control message the base class does not handle (e.g. `hosting`). */
  protected onChildControl(_message: ChildControl): void {}

  /** Called when a drain was requested (consumers: their queue refuses new puts). */
  protected onDrainRequested(): void {}

  /** Sends a control message to the running child (held until it connects); false when no child runs. */
  protected sendControl(message: ParentControl): boolean {
    const run = this.#supervisor.run;
    run?.send(message);
    return run !== undefined;
  }

  /** Asks the child to drain, then stop (consumers). */
  protected drain(): Promise<void> {
    return this.#supervisor.drain();
  }

  // --- internals --------------------------------------------------------------------

  #supervisorHooks(): ConstructorParameters<typeof Supervisor>[0] {
    return {
      name: this.name,
      stateChanged: (state) => callUser(this, this.#owner, "'state' listener", () => this.emit('state', state)),
      startRequested: () => this.onStartRequested(),
      restartStopFailed: (error) => raise(this, error),
      drainRequested: () => this.onDrainRequested(),
      launching: (run) => {
        run.spec.wantResults = this.#demand.current(); // listeners or iterators may have come since the spec was built
        Object.assign(run.spec, this.#instruments.specFields());
        this.#instruments.launched();
        this.#subscribers.follow((queues) => run.send({ type: 'subscribers', queues }));
        this.onLaunch(run);
      },
      results: (values) => {
        const callback = this.#overridesOnResult() ? 'onResult' : "'result' listener";
        deliverEach(this, this.#owner, values, callback, (value) => this.onResult(value as TResult));
        for (const value of values) this.#streams.push(value);
        this.#streams.checkBackPressure();
      },
      messages: (values) => {
        const callback = this.#overridesOnMessage() ? 'onMessage' : "'message' listener";
        deliverEach(this, this.#owner, values, callback, (value) => this.onMessage(value as TReply));
      },
      control: (run, message) => {
        if (this.#instruments.control(message)) return;
        if (message.type === 'queueStats') this.routeQueueStats(run.id, message);
        else this.onChildControl(message);
      },
      failed: (error, awaited) => {
        // To iterators and stopAtQueueEnd() callers that will see it, and as an 'error' event; with
        // no listener and nobody else to tell, it is thrown (as EventEmitter does): never silent.
        this.#streams.fail(error);
        raise(this, error, () => this.#streams.size > 0 || awaited());
      },
      // News of an engine queue (a reset, a host lost): to 'error' listeners, if any; the worker goes on.
      news: (error) => tell(this, error),
      runEnded: (run) => {
        if (run) this.#subscribers.unfollow(run.id);
        this.onRunEnded();
        if (run) this.#instruments.ended();
      },
      settled: (error) => {
        this.#streams.runEnded(error);
        this.#instruments.settled(error);
      },
    };
  }

  #overridesOnResult(): boolean {
    return (this as { onResult: unknown }).onResult !== Worker.prototype.onResult;
  }

  #overridesOnMessage(): boolean {
    return (this as { onMessage: unknown }).onMessage !== Worker.prototype.onMessage;
  }

  /** Who this worker's callbacks belong to, as a CallbackError names it. */
  get #owner(): { kind: string; name: string } {
    return { kind: 'Worker', name: this.name };
  }

  /** EventEmitter's captureRejections: an async listener rejected. */
  override [EventEmitter.captureRejectionSymbol](error: Error, event: unknown, ..._args: any[]): void {
    reportRejection(this, this.#owner, error, event);
  }
}

/** Runs `send`, naming the worker in the error it throws for a value that cannot cross (CodecError, SizeError). */
function withWorkerName(worker: string, send: () => unknown): void {
  try {
    send();
  } catch (error) {
    if (error instanceof CodecError) throw new CodecError(error.code, `Worker '${worker}': ${error.message}`, { cause: error });
    if (error instanceof SizeError) throw new SizeError(error.code, `Worker '${worker}': ${error.message}`, { cause: error });
    throw error;
  }
}
