import { randomHex } from '../shared/random-hex.js';
import {
  Outbox,
  decodeFrameBody,
  encodeOne,
  readJson,
  type FramedConnection,
  type Frame,
} from '@prodcon/ipc';
import { LinkFrame, type ChildControl, type ParentControl, type WorkerSpec } from '../shared/protocol.js';
import { WorkerError } from '../shared/errors.js';
import { didNotConnect, spawnFailed } from './failures.js';
import { getHub } from './hub.js';
import { spawnWorkerProcess, type ChildExit, type ChildProcessHandle } from './spawn.js';

export interface ParentLinkEvents {
  onControl(message: ChildControl): void;
  onResults(values: unknown[]): void;
  onMessages(values: unknown[]): void;
  onFinal(value: unknown): void;
  /** The batch a consumer was working when it failed. */
  onFailedBatch(items: unknown[]): void;
}

export interface ParentLinkOptions {
  output: 'prefix' | 'inherit' | 'ignore';
  execArgv: string[] | undefined;
  /** A child that has not connected (said hello) within this many ms is killed. */
  connectTimeout: number;
}

/** How a run ended: the child's exit, and whether it ever linked. */
export interface LinkEnd extends ChildExit {
  /** The link was ever established. */
  linked: boolean;
  /** Set when no child process could be started at all. */
  spawnError?: Error;
}

/**
 * The main process's end of one worker child: the process and its link. It
 * ends when the child has exited and its link has closed, that is, once
 * everything the child sent was delivered. Control messages sent before the
 * child connected wait and go right after the spec. (The child's end is
 * `ChildLink`.)
 */
export class ParentLink {
  readonly id = randomHex(4);
  readonly spec: WorkerSpec;
  #events: ParentLinkEvents;
  #options: ParentLinkOptions;
  #connection: FramedConnection | undefined;
  /** Control messages sent before the child connected. */
  #beforeConnect: ParentControl[] = [];
  #messages: Outbox;
  #child: ChildProcessHandle | undefined;
  #ended: Promise<LinkEnd>;
  #resolveEnded!: (end: LinkEnd) => void;
  #linkClosed: Promise<void>;
  #resolveLinkClosed!: () => void;
  #killed = false;

  constructor(spec: WorkerSpec, options: ParentLinkOptions, events: ParentLinkEvents) {
    this.spec = spec;
    this.#options = options;
    this.#events = events;
    this.#messages = new Outbox(undefined, { frameType: LinkFrame.messages, codec: spec.codec, label: 'message' });
    this.#ended = new Promise((resolve) => (this.#resolveEnded = resolve));
    this.#linkClosed = new Promise((resolve) => (this.#resolveLinkClosed = resolve));
  }

  /** Resolves when the child has exited and everything it sent was delivered. */
  get ended(): Promise<LinkEnd> {
    return this.#ended;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** True once kill() was called. */
  get killed(): boolean {
    return this.#killed;
  }

  /**
   * Spawns the child and hands it the spec once it connects.
   * @throws WorkerError when no process could be started.
   */
  async launch(): Promise<void> {
    const hub = getHub();
    const linkPath = await hub.address();
    const spec = this.spec;
    let init: Awaited<ReturnType<typeof encodeOne>>;
    try {
      init = await encodeOne(spec, spec.codec === 'json' ? 'auto' : spec.codec, 'args');
    } catch (error) {
      // No child will come: the run ends here, with the reason (start() checks args first; this is the backstop).
      this.#resolveEnded({ exitCode: undefined, signal: undefined, linked: false, spawnError: spawnFailed(spec.name, error) });
      throw error;
    }

    const expected = hub.expectLink((connection) => {
      this.#connection = connection;
      connection.setFrameHandler((frame) => this.#receive(frame));
      connection.onClosed(() => this.#resolveLinkClosed());
      connection.writeDataFrame(LinkFrame.init, init.codecId, init.bytes);
      for (const message of this.#beforeConnect) connection.writeJson(LinkFrame.control, message);
      this.#beforeConnect = [];
      this.#messages.attach(connection);
    });
    try {
      this.#child = await spawnWorkerProcess({
        workerName: spec.name,
        moduleUrl: spec.moduleUrl,
        linkPath,
        token: expected.token,
        output: this.#options.output,
        execArgv: this.#options.execArgv,
      });
    } catch (error) {
      expected.cancel();
      // Whatever failed, the run reports it as a spawn failure with its cause, never as a silent exit.
      const failure = error instanceof WorkerError ? error : spawnFailed(spec.name, error);
      this.#resolveEnded({ exitCode: undefined, signal: undefined, linked: false, spawnError: failure });
      throw failure;
    }
    // A child that never connects (a hung --import hook, a flag that makes it run something else) is not left waiting.
    let connectFailure: WorkerError | undefined;
    const connectTimer = setTimeout(() => {
      if (this.#connection) return;
      connectFailure = didNotConnect(spec.name, this.#options.connectTimeout);
      this.kill('SIGKILL');
    }, this.#options.connectTimeout);
    connectTimer.unref();
    void this.#child.exited.then(async (exit) => {
      clearTimeout(connectTimer);
      expected.cancel();
      // If the child ever linked, wait for the link to close: its last frames are still being read.
      if (this.#connection) await this.#linkClosed;
      this.#resolveEnded({ ...exit, linked: this.#connection !== undefined, spawnError: connectFailure });
    });
  }

  send(message: ParentControl): void {
    if (this.#connection && !this.#connection.closed) this.#connection.writeJson(LinkFrame.control, message);
    else if (!this.#connection) this.#beforeConnect.push(message);
  }

  /**
   * Queues a message for the child (batched with others sent in the same turn).
   * @throws CodecError when the message cannot cross a process boundary.
   */
  sendMessage(message: unknown): void {
    this.#messages.push(message);
  }

  /** Stops reading the link (back-pressure from a slow results reader); the child then waits. */
  pauseReading(): void {
    this.#connection?.socket.pause();
  }

  resumeReading(): void {
    this.#connection?.socket.resume();
  }

  /** Kills the child now (SIGKILL by default). */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.#killed = true;
    this.#child?.kill(signal);
    // A killed child cannot end its link politely; do not wait for frames that will never come.
    this.#connection?.destroy();
  }

  #receive(frame: Frame): void | Promise<void> {
    switch (frame.type) {
      case LinkFrame.control:
        this.#events.onControl(readJson<ChildControl>(frame));
        return;
      case LinkFrame.results:
        return decodeFrameBody(frame.body, (values) => this.#events.onResults(values));
      case LinkFrame.messages:
        return decodeFrameBody(frame.body, (values) => this.#events.onMessages(values));
      case LinkFrame.final:
        return decodeFrameBody(frame.body, (values) => this.#events.onFinal(values[0]));
      case LinkFrame.failedBatch:
        return decodeFrameBody(frame.body, (values) => this.#events.onFailedBatch(values[0] as unknown[]));
      default:
        throw new Error(`unexpected frame type ${frame.type} from worker '${this.spec.name}'`);
    }
  }
}
