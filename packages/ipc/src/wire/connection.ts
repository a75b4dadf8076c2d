import type { Socket } from 'node:net';
import { CodecError, FrameError, ProtocolError } from '../errors.js';
import { FRAME_HEADER_BYTES, FRAME_LENGTH_BYTES, FrameDecoder, frameHeader, maxFrameBytes, type Frame } from './framing.js';
import { logTransportWarning, transportStats } from './stats.js';

/** Handles one frame. Returning a promise holds back later frames (and pauses the socket) until it settles. */
export type FrameHandler = (frame: Frame) => void | Promise<void>;

/** How a FramedConnection names itself and hands on what it receives. */
export interface FramedConnectionOptions {
  /** Names the connection in warnings ("link of worker 'sensor'"). */
  name: string;
  onFrame: FrameHandler;
  /** Called once, when the socket closes for any reason; `error` is set when it failed. */
  onClose?: (error?: Error) => void;
  maxFrameBytes?: number;
  /** A lower limit for the first frame (a server's handshake: see FrameDecoder). */
  firstFrameMaxBytes?: number;
}

/**
 * A socket that speaks frames. Frames are handed to `onFrame` strictly in
 * order, even across asynchronous handlers. A malformed frame, or a handler
 * that throws, closes this connection only, with a counted and logged error;
 * it never throws into the event loop.
 */
export class FramedConnection {
  readonly socket: Socket;
  readonly name: string;
  #decoder: FrameDecoder;
  #onFrame: FrameHandler;
  #closeListeners: Array<(error?: Error) => void> = [];
  #backlog: Frame[] = [];
  #blocked = false;
  #closed = false;
  #closeError: Error | undefined;
  #closedPromise: Promise<void>;

  constructor(socket: Socket, options: FramedConnectionOptions) {
    this.socket = socket;
    this.name = options.name;
    const limit = options.maxFrameBytes ?? maxFrameBytes();
    this.#decoder = new FrameDecoder(limit, options.firstFrameMaxBytes ?? limit);
    this.#onFrame = options.onFrame;
    if (options.onClose) this.#closeListeners.push(options.onClose);
    socket.setNoDelay?.(true);
    this.#closedPromise = new Promise((resolve) => {
      socket.once('close', () => {
        this.#closed = true;
        for (const listener of this.#closeListeners) listener(this.#closeError);
        resolve();
      });
    });
    socket.on('error', (error) => {
      // Peer resets and writes after the peer left are ordinary ends of a connection, not failures to report.
      this.#closeError ??= error;
    });
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
  }

  /** Hands later frames to another handler (a server routes a connection after its first frame). */
  setFrameHandler(onFrame: FrameHandler): void {
    this.#onFrame = onFrame;
  }

  /** Adds a callback for when the socket closes (at once if it already has). */
  onClosed(listener: (error?: Error) => void): void {
    if (this.#closed) listener(this.#closeError);
    else this.#closeListeners.push(listener);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Resolves once the socket has closed. */
  whenClosed(): Promise<void> {
    return this.#closedPromise;
  }

  /** True while the socket's write buffer is over its high-water mark: stop writing until 'drain'. */
  get needsDrain(): boolean {
    return this.socket.writableNeedDrain;
  }

  /** Resolves at the next 'drain' (or at once if nothing is buffered, or on close). */
  drained(): Promise<void> {
    if (!this.socket.writableNeedDrain || this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  /** Writes one frame whose body is the concatenation of `parts` (no copy: the parts are written corked). */
  writeFrame(type: number, ...parts: Uint8Array[]): boolean {
    if (this.#closed || this.socket.destroyed || !this.socket.writable) return false;
    let bodyBytes = 0;
    for (const part of parts) bodyBytes += part.byteLength;
    const socket = this.socket;
    socket.cork();
    socket.write(frameHeader(type, bodyBytes));
    for (const part of parts) socket.write(part);
    socket.uncork();
    return !socket.writableNeedDrain;
  }

  /**
   * Writes a data frame: `[codec id][payload]` as the body. A string payload is
   * written as UTF-8 by the socket itself (no intermediate buffer).
   */
  writeDataFrame(type: number, codecId: number, payload: Uint8Array | string): boolean {
    if (this.#closed || this.socket.destroyed || !this.socket.writable) return false;
    const payloadLength = typeof payload === 'string' ? Buffer.byteLength(payload, 'utf8') : payload.byteLength;
    const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES + 1);
    header.writeUInt32BE(payloadLength + 2, 0);
    header[FRAME_LENGTH_BYTES] = type;
    header[FRAME_HEADER_BYTES] = codecId;
    const socket = this.socket;
    socket.cork();
    socket.write(header);
    if (typeof payload === 'string') socket.write(payload, 'utf8');
    else socket.write(payload);
    socket.uncork();
    return !socket.writableNeedDrain;
  }

  /** Writes a frame whose body is a JSON document: for small control messages. */
  writeJson(type: number, message: unknown): boolean {
    return this.writeFrame(type, Buffer.from(JSON.stringify(message), 'utf8'));
  }

  /** Half-closes after everything written so far; resolves when the socket has closed. */
  end(): Promise<void> {
    if (!this.#closed && !this.socket.writableEnded) this.socket.end();
    return this.#closedPromise;
  }

  /** Closes at once, dropping unsent data. */
  destroy(error?: Error): void {
    if (error) this.#closeError ??= error;
    this.socket.destroy();
  }

  #receive(chunk: Buffer): void {
    if (this.#closed) return;
    let frames: Frame[];
    try {
      frames = this.#decoder.push(chunk);
    } catch (error) {
      this.#fail(error as Error);
      return;
    }
    if (this.#blocked) {
      for (const frame of frames) this.#backlog.push(frame);
      return;
    }
    this.#dispatch(frames);
  }

  #dispatch(frames: Frame[]): void {
    for (let index = 0; index < frames.length; index++) {
      if (this.#closed || this.socket.destroyed) return;
      let outcome: void | Promise<void>;
      try {
        outcome = this.#onFrame(frames[index]);
      } catch (error) {
        this.#fail(error as Error);
        return;
      }
      if (outcome && typeof outcome.then === 'function') {
        this.#blocked = true;
        this.socket.pause();
        const rest = frames.slice(index + 1);
        outcome.then(
          () => {
            this.#blocked = false;
            const next = rest.concat(this.#backlog);
            this.#backlog = [];
            this.socket.resume();
            this.#dispatch(next);
          },
          (error: Error) => this.#fail(error),
        );
        return;
      }
    }
  }

  #fail(error: Error): void {
    if (error instanceof FrameError || error instanceof CodecError) transportStats.badFrames++;
    else if (error instanceof ProtocolError) transportStats.protocolErrors++;
    logTransportWarning(`closing ${this.name}: ${error.message}`);
    this.#closeError ??= error;
    this.socket.destroy();
  }
}
