import { onEngineNews } from '@prodcon/ipc';
import { serializeError, type WorkerPhase } from '../shared/errors.js';
import type { WorkContext } from '../shared/hooks.js';
import type { ParentControl, QueueBinding, WorkerSpec } from '../shared/protocol.js';
import { endRemoteQueues } from '../shared/remote-queue.js';
import { createContext } from './context.js';
import { HookFailure, LoopControl } from './control.js';
import { hostQueue, type HostedQueue } from './hosted-queue.js';
import { MessageInbox } from './inbox.js';
import { MessageDispatch } from './message-dispatch.js';
import type { ChildLink } from './link.js';
import { ModuleError, loadWorkerClass } from './load-module.js';
import { RunState } from './run-state.js';
import { collectQueueStats, forwardDiagnostics, type StatsMessage } from './report.js';
import { StatsReporter } from './stats-reporter.js';
import { SubscriberSet } from './subscribers.js';

/** A child whose main process vanished gets this long to run onStop, then exits anyway. */
const ORPHAN_DEADLINE_MS = 3000;

/**
 * Runs one worker in this child: loads its class, hosts its queue (consumer),
 * connects its subscribers, runs its workLoop, and always ends the same way:
 * onStop (if onStart succeeded), writers flushed and ended, final counters,
 * `stopped`, link closed.
 */
export class ChildRuntime {
  readonly spec: WorkerSpec;
  readonly link: ChildLink;
  readonly ctx: WorkContext;
  #state = new RunState();
  #inbox = new MessageInbox();
  #subscribers: SubscriberSet;
  #control: LoopControl;
  #hosted: HostedQueue | undefined;
  #stats: StatsReporter<StatsMessage>;
  #messages: MessageDispatch;
  #onStopStarted = false;
  /** The main process's latest view of the subscriber queues; connected once the module loaded. */
  #subscriberBindings: QueueBinding[];
  #subscribersConnected = false;
  #unwatchNews: () => void;

  constructor(spec: WorkerSpec, link: ChildLink) {
    this.spec = spec;
    this.link = link;
    this.#subscriberBindings = spec.subscribers;
    this.#subscribers = new SubscriberSet(`${spec.kind} '${spec.name}'`, spec.codec, spec.connectTimeout, (error) =>
      this.reportFailure(error),
    );
    this.ctx = createContext(spec, this.#state, this.#inbox, link, {
      stopSelf: () => this.#stopSelf(),
      setWorkTimeout: (ms) => {
        this.#control.setWorkTimeout(ms);
        this.#send({ type: 'steered', workTimeout: ms });
      },
    });
    this.#control = new LoopControl(spec, this.ctx, this.#state, this.#subscribers, link);
    this.#messages = new MessageDispatch(
      this.#inbox,
      this.ctx,
      (reply) => link.messages.push(reply),
      (failure) => this.reportFailure(failure),
    );
    this.#control.onStarted = () => this.#messages.started();
    this.#stats = new StatsReporter(
      () => collectQueueStats(this.#subscribers, this.#hosted, this.#control),
      (report) => this.#send(report),
      () => this.#control.metrics.sample(),
    );
    if (spec.log) forwardDiagnostics((message) => this.#send(message));
    link.onReceive({
      control: (message) => this.#onParentControl(message),
      messages: (values) => this.#messages.deliver(values),
    });
    // Engine queues this process follows are its worker's (the queue it hosts, those it writes to): so is their news.
    this.#unwatchNews = onEngineNews((news) => this.#send({ type: 'engineNews', code: news.code, error: serializeError(news) }));
  }

  /** Runs the worker to its end. Never throws: failures are reported to the main process. */
  async run(): Promise<void> {
    const control = this.#control;
    try {
      const workerClass = await loadWorkerClass(this.spec);
      control.workerClass = workerClass;
      this.#messages.classLoaded(workerClass.onMessage?.bind(workerClass));
      if (this.spec.queue) await this.#hostQueue();
      this.#subscribersConnected = true;
      this.#subscribers.update(this.#subscriberBindings);
      this.#stats.start();
      await workerClass.workLoop(control);
    } catch (error) {
      this.reportFailure(error);
    }
    if (control.onStartDone && !this.#onStopStarted) {
      this.#onStopStarted = true;
      this.#messages.close();
      this.#state.set('stopped');
      this.#send({ type: 'phase', phase: 'onStop' });
      try {
        await control.runOnStop();
      } catch (error) {
        this.reportFailure(error);
      }
    }
  }

  /** Flushes and closes everything, then tells the main process the worker stopped. */
  async finish(): Promise<void> {
    this.#state.set('stopped');
    this.#inbox.close();
    this.#stats.stop();
    // The user's hooks are done: from here on a hang is prodcon's (or a queue's downstream), and a stop timeout says so.
    this.#send({ type: 'phase', phase: 'flushing' });
    await Promise.all([this.#subscribers.endAll(), endRemoteQueues()]);
    this.#send({ type: 'phase', phase: 'closing' });
    const hosted = this.#hosted;
    if (hosted) {
      hosted.host.discard('stopped'); // what is still queued on stop is dropped, and counted
      hosted.host.shutdown();
      await hosted.shutDown(); // an engine queue: its last counters are known once it let go
    }
    this.#stats.report(true);
    this.#unwatchNews();
    this.#send({ type: 'stopped' });
    await this.link.close();
    await this.#hosted?.close();
  }

  /** Reports a failure of the current phase (or of the phase a HookFailure names). */
  reportFailure(error: unknown): void {
    let phase: WorkerPhase = this.#control.onStartDone ? 'work' : 'onStart';
    let thrown = error;
    if (error instanceof HookFailure) {
      phase = error.phase;
      thrown = error.error;
      if (error.batch && !this.link.closed) this.link.sendFailedBatch(error.batch, this.spec.codec);
    }
    const serialized = serializeError(thrown);
    if (thrown instanceof ModuleError) serialized.code = 'ERR_WORKER_MODULE';
    this.#send({ type: 'failed', phase, error: serialized });
    this.requestStop();
  }

  /** Stop as soon as the current hook returns. */
  requestStop(): void {
    if (!this.#state.stop()) return;
    this.#inbox.close();
  }

  /** The main process is gone: stop, and exit even if onStop hangs. */
  orphaned(): void {
    this.requestStop();
    setTimeout(() => process.exit(1), ORPHAN_DEADLINE_MS).unref();
  }

  async #hostQueue(): Promise<void> {
    const spec = this.spec.queue!;
    this.#hosted = await hostQueue(spec, this.spec.name);
    this.#control.queue = this.#hosted.host;
    if (this.#state.current === 'stopAtQueueEnd') this.#hosted.host.close(); // the drain was asked for while the queue was being set up
    this.#send({ type: 'hosting', queueId: spec.queueId, address: spec.address });
  }

  /** `ctx.stop()`: stop, and tell the main process that this stop was the worker's own. */
  #stopSelf(): void {
    if (this.#state.current === 'stopped') return;
    this.requestStop();
    this.#send({ type: 'stopping', reason: 'self' });
  }

  #onParentControl(message: ParentControl): void {
    const host = this.#hosted?.host;
    switch (message.type) {
      case 'stop':
        this.requestStop();
        return;
      case 'stopAtQueueEnd':
        if (this.#state.current !== 'started') return;
        this.#state.set('stopAtQueueEnd');
        host?.close();
        return;
      case 'wantResults':
        this.#control.wantResults = message.on;
        return;
      case 'metrics':
        this.#control.metrics.on = message.on;
        return;
      case 'subscribers':
        // Updates can arrive while the worker's module is still loading: keep the latest, so that
        // connecting afterwards does not go back to the (stale) bindings of the spec.
        this.#subscriberBindings = message.queues;
        if (this.#subscribersConnected) this.#subscribers.update(message.queues);
        return;
      case 'queueReady':
        if (message.ready) host?.setReady();
        else host?.setNotReady();
        return;
      case 'clearQueue':
        host?.discard('cleared');
        return;
      case 'steer':
        if (message.workTimeout !== undefined) this.#control.setWorkTimeout(message.workTimeout);
        if (message.paused !== undefined) this.#control.paused = message.paused;
        return;
    }
  }

  #send(message: Parameters<ChildLink['send']>[0]): void {
    if (!this.link.closed) this.link.send(message);
  }
}
