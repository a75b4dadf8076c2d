import { ConnectError } from '../errors.js';
import type { FramedConnection } from '../wire/connection.js';
import type { Frame } from '../wire/framing.js';
import { Signal } from '../util/signal.js';
import { ConnectRetry, isTransientConnectError } from './connect-retry.js';
import { dialQueue } from './dial.js';
import { QueueFrame, type OpenMessage } from './protocol.js';

/** What a HostDialer tells its writer. */
export interface HostDialerEvents {
  /** A frame from the host, on the current connection or on one the writer let go of and still settles. */
  frame(connection: FramedConnection, frame: Frame): void;
  /** The host answered `connection`'s first frame: values may go out on it (called before that answer's frame). */
  answered(connection: FramedConnection): void;
  /**
   * `connection` closed after the host answered it, or after the writer let
   * go of it (`current` false: see release()).
   */
  closed(connection: FramedConnection, current: boolean): void;
  /** Every attempt to reach the host failed for the retry limit (see CONNECT_RETRY_LIMIT_MS). */
  unreachable(error: ConnectError): void;
}

export interface HostDialerOptions {
  /** Names the connection in warnings and errors ("writer producer 'sensor' → queue q1"). */
  name: string;
  maxFrameBytes?: number;
  /** See CONNECT_RETRY_LIMIT_MS (tests shorten it). */
  retryLimitMs?: number;
}

/**
 * A writer's connection to its host, up to the host's first answer: dials,
 * and dials again with back-off while the host's socket refuses it (a full
 * listen backlog, nobody listening yet) or cuts it before answering, for as
 * long as the writer still wants that address. A writer therefore never
 * mistakes a busy host for a gone one.
 */
export class HostDialer {
  #open: OpenMessage;
  #options: HostDialerOptions;
  #events: HostDialerEvents;
  #address: string | undefined;
  #connection: FramedConnection | undefined;
  #answered = false;
  #retry: ConnectRetry | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  /** Notified whenever the current connection was answered, closed unanswered, or dialing stopped. */
  #changed = new Signal();

  constructor(open: OpenMessage, options: HostDialerOptions, events: HostDialerEvents) {
    this.#open = open;
    this.#options = options;
    this.#events = events;
  }

  /** The current connection (answered or not). */
  get connection(): FramedConnection | undefined {
    return this.#connection;
  }

  /** Attempts refused (or cut off unanswered) since the host last answered. */
  get failures(): number {
    return this.#retry?.failures ?? 0;
  }

  /** Connected, connecting, or waiting to try again. */
  get active(): boolean {
    return this.#connection !== undefined || this.#retryTimer !== undefined;
  }

  /** The host answered the current connection. */
  get answered(): boolean {
    return this.#answered && this.#connection !== undefined;
  }

  /** Connects to `address` (a fresh back-off). */
  dial(address: string): void {
    this.#address = address;
    this.#retry = undefined;
    this.#connect();
  }

  /**
   * Stops dialing: cancels a pending attempt and forgets the current
   * connection, which it returns for the caller to close or keep (frames and
   * its close are still reported).
   */
  release(): FramedConnection | undefined {
    const connection = this.#connection;
    this.#address = undefined;
    this.#connection = undefined;
    this.#answered = false;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#changed.notify();
    return connection;
  }

  /**
   * Resolves with the current connection once the host answered it, or with
   * undefined once none will be (closed for good, released, unreachable).
   */
  async whenAnswered(): Promise<FramedConnection | undefined> {
    for (;;) {
      if (this.answered) return this.#connection;
      if (!this.#connection && !this.#retryTimer) return undefined;
      await this.#changed.wait();
    }
  }

  #connect(): void {
    const address = this.#address!;
    this.#answered = false;
    this.#connection = dialQueue(address, this.#open, {
      name: this.#options.name,
      maxFrameBytes: this.#options.maxFrameBytes,
      onFrame: (connection, frame) => this.#onFrame(connection, frame),
      onClose: (connection, error) => this.#onClose(connection, error),
    });
  }

  #onFrame(connection: FramedConnection, frame: Frame): void {
    if (connection === this.#connection && !this.#answered && frame.type === QueueFrame.state) {
      this.#answered = true;
      this.#retry = undefined;
      this.#events.answered(connection);
      this.#changed.notify();
    }
    this.#events.frame(connection, frame);
  }

  #onClose(connection: FramedConnection, error: Error | undefined): void {
    const current = connection === this.#connection;
    if (!current || this.#answered || !isTransientConnectError(error)) {
      if (current) this.#stop();
      this.#events.closed(connection, current);
      return;
    }
    // Refused, or cut before the host answered: nothing went out on it but `open`. Try again.
    this.#connection = undefined;
    this.#retry ??= new ConnectRetry(this.#options.retryLimitMs);
    const delay = this.#retry.failed(Date.now());
    if (delay === undefined) {
      const retry = this.#retry;
      this.#stop();
      const why = error ? `${(error as NodeJS.ErrnoException).code ?? error.message}` : 'closed before answering';
      this.#events.unreachable(
        new ConnectError(
          'ERR_QUEUE_UNREACHABLE',
          `${this.#options.name}: the queue's host refused every connection for ${retry.limitMs} ms (${retry.failures} attempts, last: ${why})`,
          { cause: error },
        ),
      );
      return;
    }
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.#address !== undefined && !this.#connection) this.#connect();
    }, delay);
    this.#changed.notify();
  }

  #stop(): void {
    this.#connection = undefined;
    this.#answered = false;
    this.#address = undefined;
    this.#changed.notify();
  }
}
