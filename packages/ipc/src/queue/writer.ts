import type { CodecName } from '../codecs/codec.js';
import type { Inspection } from '../codecs/inspect.js';
import type { FramedConnection } from '../wire/connection.js';
import { ProtocolError, type ConnectError } from '../errors.js';
import { readJson, type Frame } from '../wire/framing.js';
import { Outbox, shareOf } from '../wire/outbox.js';
import { logTransportWarning } from '../wire/stats.js';
import { Signal } from '../util/signal.js';
import {
  QueueFrame,
  type AckMessage,
  type GrantMessage,
  type ReturnedMessage,
  type RevokeMessage,
  type StateMessage,
} from './protocol.js';
import { HostDialer } from './host-dialer.js';
import { stampNow } from './latency.js';
import { LossyInFlight } from './lossy-in-flight.js';
import { Settlement } from './settlement.js';
import type { PutOutcome, QueueSink, WriterState } from './sink.js';
import type { BatchSink } from './waiting-puts.js';
import { noDrops, totalDrops, type DropCause, type DropCounts } from './drops.js';

/** How a QueueWriter names its queue and itself, encodes values, and whether it retains them. */
export interface QueueWriterOptions {
  queueId: string;
  lossy: boolean;
  /** The queue's capacity: also the bound of a lossy writer's outgoing buffer. */
  capacity: number;
  /** Names this writer to the host ("producer 'sensor'"). */
  writerName: string;
  codec?: CodecName;
  /** Names the values in errors (default "item"). */
  label?: string;
  maxFrameBytes?: number;
  /**
   * Keep every value until the host acknowledges it as consumed (hosts that
   * acknowledge: pool members). If the connection is lost first, `onLost`
   * receives the values that were never acknowledged, to deliver elsewhere.
   */
  retain?: boolean;
  /** With `retain`: receives the values the host never acknowledged, when the connection is lost. */
  onLost?: (values: unknown[]) => void;
  /**
   * The host's socket refused every connection for the retry limit (see
   * CONNECT_RETRY_LIMIT_MS): the writer gave up (state `gone`, what it held
   * counted lost); its owner should fail.
   */
  onUnreachable?: (error: ConnectError) => void;
  /** See CONNECT_RETRY_LIMIT_MS (tests shorten it). */
  connectRetryMs?: number;
  /**
   * Called whenever credit arrives or the state changes (what would settle
   * `whenWritable()`): one listener for an owner that waits on many writers
   * (a PoolWriter), instead of a promise per wait.
   */
  onWritable?: () => void;
}

/**
 * Writes into a queue hosted by another process, over a Unix socket. Values
 * are batched by an Outbox: one frame per event-loop turn. Lossless writers
 * send only against the host's credits; lossy writers never wait and drop
 * their oldest unsent values when the socket cannot keep up.
 */
export class QueueWriter implements QueueSink, BatchSink {
  readonly queueId: string;
  readonly lossy: boolean;
  readonly capacity: number;
  readonly writerName: string;
  /** Puts refused, and values accepted and then dropped (cleared, lost; a lossy buffer's overflow is the outbox's), by cause. */
  readonly #drops: DropCounts = noDrops();
  accepted = 0;
  #state: WriterState = 'unbound';
  #address: string | 'pending' | undefined;
  /** The connection values go out on: set once the host answered it (see HostDialer). */
  #connection: FramedConnection | undefined;
  #dialer: HostDialer;
  #onUnreachable: ((error: ConnectError) => void) | undefined;
  /** Called whenever credit arrives or the state changes (see QueueWriterOptions.onWritable). */
  onWritable: (() => void) | undefined;
  #outbox: Outbox;
  #credits = 0;
  #writable = new Signal();
  #ending: Promise<void> | undefined;
  /** Set by end(): the owner is done with this writer, so it never reconnects. */
  #finished = false;
  /** Lossless writers: what the host has not settled yet (see Settlement). */
  #settlement: Settlement | undefined;
  /** Lossy writers: what the host may not have read (see LossyInFlight). */
  #inFlight: LossyInFlight | undefined;

  constructor(options: QueueWriterOptions) {
    this.queueId = options.queueId;
    this.lossy = options.lossy;
    this.capacity = options.capacity;
    this.writerName = options.writerName;
    this.#onUnreachable = options.onUnreachable;
    this.onWritable = options.onWritable;
    this.#dialer = new HostDialer(
      { queueId: this.queueId, writer: this.writerName, lossy: this.lossy },
      { name: `writer ${this.writerName} → queue ${this.queueId}`, maxFrameBytes: options.maxFrameBytes, retryLimitMs: options.connectRetryMs },
      {
        frame: (connection, frame) => this.#onFrame(connection, frame),
        answered: (connection) => {
          this.#connection = connection;
          this.#outbox.attach(connection);
        },
        closed: (connection, current) => this.#onClose(connection, current),
        unreachable: (error) => this.#unreachable(error),
      },
    );
    this.#settlement = options.lossy ? undefined : new Settlement(options.retain === true, options.onLost);
    this.#inFlight = options.lossy ? new LossyInFlight() : undefined;
    this.#outbox = new Outbox(undefined, {
      frameType: QueueFrame.items,
      codec: options.codec,
      label: options.label ?? 'item',
      lossyCapacity: options.lossy ? options.capacity : undefined,
      beforeFrame: stampFrame,
    });
  }

  get state(): WriterState {
    return this.#state;
  }

  get credits(): number {
    return this.lossy ? Infinity : this.#credits;
  }

  get drops(): Readonly<DropCounts> {
    return {
      ...this.#drops,
      overflow: this.#drops.overflow + this.#outbox.dropped,
      refused: this.#drops.refused + this.#outbox.refused,
    };
  }

  get dropped(): number {
    return totalDrops(this.#drops) + this.#outbox.dropped + this.#outbox.refused;
  }

  /** Counts items its owner dropped before they could be put (a producer stopping in front of a full queue). */
  countDrop(cause: DropCause, count = 1): void {
    this.#drops[cause] += count;
  }

  /** Items sent to the host on the current connection and not acknowledged yet (lossless writers). */
  get unsettled(): number {
    return this.#settlement?.unsettled ?? 0;
  }

  /** Values kept until the host acknowledges them (retaining writers). */
  get unacknowledged(): number {
    return this.#settlement?.retained ?? 0;
  }

  /** Resolves once every retained value was acknowledged, or the connection is gone. */
  whenAcknowledged(): Promise<void> {
    if (!this.#settlement?.retained || !this.#connection || this.#connection.closed) return Promise.resolve();
    return this.#settlement.whenNoneRetained();
  }

  /** Connection attempts its host refused (or cut off before answering) since it last answered: the writer retries them. */
  get connectFailures(): number {
    return this.#dialer.failures;
  }

  /** Values accepted but not yet written to the socket. */
  get pending(): number {
    return this.#outbox.pending;
  }

  /**
   * Points the writer at a host's socket; at `pending` (the host is starting:
   * puts wait or buffer as while connecting); or at nothing (`undefined`: the
   * queue is not hosted anywhere, so puts are refused). Rebinding drops the old
   * connection; values still pending on it are counted as lost.
   */
  bind(address: string | 'pending' | undefined): void {
    if (this.#finished) return;
    if (address === this.#address && (address === 'pending' || this.#dialer.active)) return;
    this.#disconnect();
    this.#ending = undefined;
    this.#address = address;
    if (!address) {
      this.#setState('unbound');
      return;
    }
    if (address === 'pending') {
      // The host is starting: lossless puts wait for its first credits, lossy puts buffer.
      this.#setState('connecting');
      return;
    }
    this.#setState('connecting');
    this.#dialer.dial(address);
  }

  /**
   * Puts one value if the queue can take it now: sent (or kept, lossy), or `noCredit` (wait for
   * whenWritable), or refused.
   * @param inspection the value's inspection, when the caller already walked it (see Outbox.push).
   */
  tryPut(value: unknown, inspection?: Inspection): PutOutcome {
    const state = this.#state;
    if (state !== 'ready' && !(state === 'connecting' && this.lossy)) {
      if (state === 'connecting') return 'noCredit'; // lossless: wait for the host's first credits
      this.#drops.refused++;
      return 'refused';
    }
    if (!this.lossy && this.#credits <= 0) return 'noCredit';
    this.#outbox.push(value, inspection); // throws on values that cannot cross, before a credit is spent
    if (!this.lossy) {
      this.#credits--;
      this.#settlement?.sent(value);
    }
    this.accepted++;
    return 'sent';
  }

  /**
   * Sends `values[from..to)`, which the caller checked it may send now: the
   * writer is ready and holds the credits for them (lossless), and
   * `inspection` covers them (see inspectBatch). One push, no walk.
   */
  sendRange(values: readonly unknown[], from: number, to: number, inspection: Inspection): void {
    const count = to - from;
    const accepting = this.#state === 'ready' || (this.#state === 'connecting' && this.lossy);
    if (!accepting || (!this.lossy && this.#credits < count)) {
      throw new RangeError(`writer ${this.writerName}: sendRange of ${count} items without the credits for them`);
    }
    this.#outbox.pushMany(values, from, to, inspection);
    if (!this.lossy) {
      this.#credits -= count;
      this.#settlement?.sentMany(values, from, to);
    }
    this.accepted += count;
  }

  /**
   * Sends what the queue takes now of `values` from `from` on (see BatchSink):
   * as many as the credits allow (lossless; a lossy writer takes all), 0 while
   * waiting for credit or for the host's first answer, `refused` when the
   * queue refuses (the rest counted refused). `inspection` covers all of `values`.
   */
  sendMany(values: readonly unknown[], from: number, inspection: Inspection): number | 'refused' {
    const state = this.#state;
    const left = values.length - from;
    if (state !== 'ready' && !(state === 'connecting' && this.lossy)) {
      if (state === 'connecting') return 0;
      this.#drops.refused += left;
      return 'refused';
    }
    const count = this.lossy ? left : Math.min(this.#credits, left);
    if (count > 0) this.sendRange(values, from, from + count, shareOf(inspection, count, values.length));
    return count;
  }

  whenWritable(): Promise<void> {
    if (this.#state !== 'connecting' && (this.#state !== 'ready' || this.lossy || this.#credits > 0)) {
      return Promise.resolve();
    }
    return this.#writable.wait();
  }

  /** Sends what is pending now (see QueueSink.flush). */
  flush(): void {
    this.#outbox.flush();
  }

  /** Resolves once everything accepted so far was handed to the socket (or the host went away). */
  flushed(): Promise<void> {
    this.#outbox.flush();
    return this.#outbox.idle();
  }

  /**
   * Sends what is pending, then an end frame, then closes: the host learns
   * that nothing more will come from this writer. Later puts are refused.
   */
  end(): Promise<void> {
    this.#finished = true;
    this.#ending ??= this.#end();
    return this.#ending;
  }

  async #end(): Promise<void> {
    this.#setState('ended');
    // A connection still waiting for the host's first answer (or for another attempt) ends like
    // any other once answered: a lossy writer may already hold values for it.
    // A writer with nothing waiting to go out does not wait for a host that has not answered yet.
    const waitForHost = this.#address !== 'pending' && (this.#dialer.answered || this.#outbox.pending > 0);
    const connection = waitForHost ? await this.#dialer.whenAnswered() : undefined;
    if (connection && !connection.closed) {
      await this.#sendEnd(connection);
    } else {
      this.#disconnect();
      this.#clearUnsent('lost'); // accepted for a host that never answered
    }
  }

  /**
   * The end of this writer's stream on `connection`: what was accepted goes
   * out, then the end frame; a retaining writer then stays until its values
   * were acknowledged; then the connection closes.
   */
  async #sendEnd(connection: FramedConnection): Promise<void> {
    this.#outbox.flush();
    await this.#outbox.idle();
    connection.writeFrame(QueueFrame.end);
    this.#settlement?.handedToHost();
    await this.whenAcknowledged();
    await connection.end();
  }

  #onFrame(connection: FramedConnection, frame: Frame): void {
    if (connection !== this.#connection) {
      this.#drops.lost += this.#settlement?.leavingFrame(connection, frame) ?? this.#inFlight?.leavingFrame(connection, frame) ?? 0;
      return;
    }
    switch (frame.type) {
      case QueueFrame.state:
        this.#onHostState(connection, readJson<StateMessage>(frame));
        return;
      case QueueFrame.grant:
        this.#credits += readJson<GrantMessage>(frame).credits;
        this.#writable.notify();
        this.onWritable?.();
        return;
      case QueueFrame.ack:
        this.#settlement?.acknowledged(readJson<AckMessage>(frame).count);
        return;
      case QueueFrame.revoke: {
        const { keep } = readJson<RevokeMessage>(frame);
        const returned = Math.max(0, this.#credits - keep);
        this.#credits -= returned;
        connection.writeJson(QueueFrame.returned, { credits: returned } satisfies ReturnedMessage);
        return;
      }
      default:
        throw new ProtocolError('ERR_QUEUE_PROTOCOL', `unexpected frame type ${frame.type} from queue ${this.queueId}`);
    }
  }

  #onHostState(connection: FramedConnection, message: StateMessage): void {
    // An ended writer only flushes what it accepted and leaves; the host's later states do not reopen it.
    if (this.#state === 'ended' && message.state !== 'gone') return;
    switch (message.state) {
      case 'ready':
        this.#credits = message.credits ?? 0;
        this.#setState('ready');
        return;
      case 'notReady':
        this.#credits = 0;
        this.#clearUnsent('cleared');
        this.#setState('notReady');
        return;
      case 'closing':
        // Drain: what was accepted goes out, then our end. Nothing new is accepted.
        this.#credits = 0;
        this.#setState('ended');
        this.#ending ??= this.#sendEnd(connection);
        return;
      case 'gone':
        // Acknowledgements come before `gone`: what is still unacknowledged, the host lost.
        this.#credits = 0;
        this.#clearUnsent('lost');
        this.#drops.lost += this.#settlement?.broken() ?? 0;
        if (this.#inFlight) this.#drops.lost += LossyInFlight.lostAtGone(this.#outbox.written, message);
        this.#setState('gone');
        void connection.end();
        return;
    }
  }

  #onClose(connection: FramedConnection, current: boolean): void {
    const left = this.#settlement?.leavingClosed(connection);
    if (left !== undefined) {
      this.#drops.lost += left; // the host went away before it settled them
      return;
    }
    if (this.#inFlight?.leavingClosed(connection)) return;
    if (!current) return;
    const lostBefore = this.#drops.lost;
    this.#release();
    if (this.#state === 'ended' || this.#state === 'gone') return;
    // The host died, or broke off, without saying `gone`: never silent.
    logTransportWarning(
      `writer ${this.writerName} → queue ${this.queueId}: the host closed the connection without notice (${this.#drops.lost - lostBefore} items lost)`,
    );
    this.#setState('gone');
  }

  #unreachable(error: ConnectError): void {
    logTransportWarning(error.message);
    this.#release();
    this.#setState('gone');
    this.#onUnreachable?.(error);
  }

  #disconnect(): void {
    const connection = this.#dialer.release();
    if (!connection) return; // values waiting for a connection stay for the next one
    this.#clearUnsent('lost'); // never written: lost now, not left for the old host to settle
    // Items the host has not settled keep the old connection open until it does (or closes).
    const kept = this.#settlement?.leave(connection) ?? this.#inFlight?.leave(connection, this.#outbox.written) ?? false;
    this.#release();
    if (!kept) connection.destroy();
  }

  /**
   * Lets go of the current connection: values not yet written are lost;
   * items written and never settled are lost too, or (a pool's writer)
   * handed over to be delivered elsewhere, and then no longer pending either.
   */
  #release(): void {
    this.#connection = undefined;
    this.#clearUnsent('lost');
    this.#drops.lost += this.#settlement?.broken() ?? 0;
    this.#outbox.attach(undefined);
    this.#credits = 0;
  }

  /**
   * Drops the values not yet written, counted under `cause`. A lossless
   * writer counted them as sent when it accepted them (they hold credits, and
   * a pool's are retained): they leave its settlement too, so that nothing is
   * counted twice when the connection's unsettled items are counted lost.
   */
  #clearUnsent(cause: 'cleared' | 'lost'): void {
    const unsent = this.#outbox.clear();
    this.#drops[cause] += unsent;
    this.#settlement?.withdrawn(unsent);
  }

  #setState(state: WriterState): void {
    this.#state = state;
    this.#writable.notify();
    this.onWritable?.();
  }
}

/**
 * Sends the stamp of the items frame about to be written (queue latency). The
 * socket stays corked until the next tick, so that the stamp and its frame
 * leave in one write.
 */
function stampFrame(connection: FramedConnection): void {
  const socket = connection.socket;
  socket.cork();
  connection.writeFrame(QueueFrame.stamp, stampNow());
  process.nextTick(() => socket.uncork());
}
