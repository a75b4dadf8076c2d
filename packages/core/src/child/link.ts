import {
  FramedConnection,
  Outbox,
  connectUnix,
  decodeFrameBody,
  encodeOne,
  encodeOneNow,
  readJson,
  type CodecName,
  type Frame,
} from '@prodcon/ipc';
import { LinkFrame, type ChildControl, type HelloMessage, type ParentControl, type WorkerSpec } from '../shared/protocol.js';

/** What the runtime does with what arrives on the link after the spec. */
export interface LinkReceiver {
  control(message: ParentControl): void;
  /** A batch of user messages from the main process, in order. */
  messages(values: unknown[]): void;
}

type Arrival = { control: ParentControl } | { messages: unknown[] };

/**
 * The child's end of its link to the main process. It says hello, receives
 * the worker spec, then carries control messages one way or the other and
 * batches results and messages out.
 */
export class ChildLink {
  readonly connection: FramedConnection;
  /** Set once init arrived: the worker's codec. */
  results!: Outbox;
  messages!: Outbox;
  #receiver: LinkReceiver | undefined;
  /**
   * What arrived before the runtime took over: the init frame and the first
   * control frames often come in one read, before `await init` resumes.
   */
  #early: Arrival[] = [];
  #init: Promise<WorkerSpec>;
  #resolveInit!: (spec: WorkerSpec) => void;
  #rejectInit!: (error: Error) => void;
  #closed = false;

  private constructor(connection: FramedConnection) {
    this.connection = connection;
    this.#init = new Promise((resolve, reject) => {
      this.#resolveInit = resolve;
      this.#rejectInit = reject;
    });
  }

  /** Connects to the main process and says hello. */
  static connect(path: string, token: string, onClose: () => void): ChildLink {
    const socket = connectUnix(path);
    let link: ChildLink | undefined;
    const connection = new FramedConnection(socket, {
      name: 'link to the main process',
      onFrame: (frame) => link!.#receive(frame),
      onClose: () => {
        link!.#closed = true;
        link!.#rejectInit(new Error('the main process closed the link before sending the worker spec'));
        onClose();
      },
    });
    link = new ChildLink(connection);
    socket.once('connect', () => {
      connection.writeJson(LinkFrame.hello, { token, pid: process.pid } satisfies HelloMessage);
    });
    return link;
  }

  /** The worker spec, once the main process sent it. */
  get init(): Promise<WorkerSpec> {
    return this.#init;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Receives every control message and message batch after init (those that came early first, in order). */
  onReceive(receiver: LinkReceiver): void {
    this.#receiver = receiver;
    const early = this.#early;
    this.#early = [];
    for (const arrival of early) this.#dispatch(arrival);
  }

  /**
   * Sends what onStop returned.
   * @throws CodecError when the value cannot cross a process boundary.
   */
  async sendFinal(value: unknown, codec: CodecName): Promise<void> {
    const encoded = await encodeOne(value, codec, 'onStop result');
    // Results and messages sent before it go first: the frame order is the order of events.
    this.results.flush();
    this.messages.flush();
    await Promise.all([this.results.idle(), this.messages.idle()]);
    this.connection.writeDataFrame(LinkFrame.final, encoded.codecId, encoded.bytes);
  }

  /** Best effort: the batch a consumer was working when it failed (skipped if it cannot be encoded right now). */
  sendFailedBatch(items: unknown[], codec: CodecName): void {
    try {
      const encoded = encodeOneNow(items, codec, 'failed batch');
      if (!encoded) return;
      this.results.flush();
      this.connection.writeDataFrame(LinkFrame.failedBatch, encoded.codecId, encoded.bytes);
    } catch {
      // Items that cannot cross are reported as the failure itself.
    }
  }

  send(message: ChildControl): void {
    this.connection.writeJson(LinkFrame.control, message);
  }

  /** Flushes results and messages, then ends the link; resolves when it closed. */
  async close(): Promise<void> {
    if (this.results) {
      this.results.flush();
      this.messages.flush();
      await Promise.all([this.results.idle(), this.messages.idle()]);
    }
    await this.connection.end();
  }

  #receive(frame: Frame): void | Promise<void> {
    switch (frame.type) {
      case LinkFrame.init:
        return decodeFrameBody(frame.body, (values) => {
          const spec = values[0] as WorkerSpec;
          this.#openOutboxes(spec.codec);
          this.#resolveInit(spec);
        });
      case LinkFrame.control:
        this.#deliver({ control: readJson<ParentControl>(frame) });
        return;
      case LinkFrame.messages:
        return decodeFrameBody(frame.body, (values) => this.#deliver({ messages: values }));
      default:
        throw new Error(`unexpected frame type ${frame.type} on the link`);
    }
  }

  #deliver(arrival: Arrival): void {
    if (this.#receiver) this.#dispatch(arrival);
    else this.#early.push(arrival);
  }

  #dispatch(arrival: Arrival): void {
    if ('control' in arrival) this.#receiver!.control(arrival.control);
    else this.#receiver!.messages(arrival.messages);
  }

  #openOutboxes(codec: CodecName): void {
    this.results = new Outbox(this.connection, { frameType: LinkFrame.results, codec, label: 'result' });
    this.messages = new Outbox(this.connection, { frameType: LinkFrame.messages, codec, label: 'message' });
  }
}
