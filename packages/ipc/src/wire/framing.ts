import { FrameError } from '../errors.js';

/**
 * Wire format of every prodcon connection: a 4-byte big-endian length, then
 * one type byte, then the body. The length counts the type byte and the body,
 * so an empty frame (length 0) is malformed by construction.
 */
export const FRAME_LENGTH_BYTES = 4;
/** The length and the type byte: what precedes every frame body. */
export const FRAME_HEADER_BYTES = FRAME_LENGTH_BYTES + 1;

/**
 * Bytes a socket buffers before write() asks the writer to wait for 'drain'.
 * Node's 16 KiB default makes every large frame a drain round trip.
 */
export const SOCKET_HIGH_WATER_MARK = 1024 * 1024;

/** Frames larger than this close the connection that sent them, unless `setMaxFrameBytes` changed it. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** The environment variable through which a main process gives its frame limit to its children. */
export const MAX_FRAME_BYTES_ENV = 'PRODCON_MAX_FRAME_BYTES';

let maxFrame = Number(process.env[MAX_FRAME_BYTES_ENV]) || DEFAULT_MAX_FRAME_BYTES;

/** The largest frame this process sends or accepts (its length counts the type byte and the body). */
export function maxFrameBytes(): number {
  return maxFrame;
}

/**
 * Changes the frame limit of this process, for connections made from now on
 * (values larger than it are refused where they are sent). Every process
 * that talks to this one must accept at least as much: a main process gives
 * its limit to the children it starts.
 */
export function setMaxFrameBytes(bytes: number): void {
  maxFrame = bytes;
}

/** One received frame: its type byte and its body. */
export interface Frame {
  readonly type: number;
  /** A view into the received chunk: copy it if you keep it beyond the current turn and it is large. */
  readonly body: Buffer;
}

/**
 * Parses the body of a control frame written by `FramedConnection.writeJson`.
 * The type is the caller's claim about the peer's message: nothing checks it.
 * @throws SyntaxError when the body is not JSON (a connection's frame handler
 *   turns that into a logged close of the connection).
 */
export function readJson<T>(frame: Frame): T {
  return JSON.parse(frame.body.toString('utf8')) as T;
}

/** Builds the 5-byte header for a frame whose body parts add up to `bodyBytes`. */
export function frameHeader(type: number, bodyBytes: number): Buffer {
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header.writeUInt32BE(bodyBytes + 1, 0);
  header[FRAME_LENGTH_BYTES] = type;
  return header;
}

/** Encodes one frame into a single buffer (for small control frames; data frames are written as parts). */
export function encodeFrame(type: number, body: Uint8Array = Buffer.alloc(0)): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.byteLength);
  frame.writeUInt32BE(body.byteLength + 1, 0);
  frame[FRAME_LENGTH_BYTES] = type;
  frame.set(body, FRAME_HEADER_BYTES);
  return frame;
}

/**
 * Splits a byte stream into frames. Chunks that complete no frame are kept as a
 * list and joined once, when the awaited frame is complete, so a large frame
 * arriving in many chunks costs one copy rather than one per chunk.
 */
export class FrameDecoder {
  readonly maxFrameBytes: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** Bytes the pending chunks must reach before a frame (or at least a length) can be read. */
  #needed = FRAME_LENGTH_BYTES;
  /** The limit of the next frame: `firstFrameMaxBytes` until the first frame was read, then `maxFrameBytes`. */
  #limit: number;

  /**
   * @param firstFrameMaxBytes a lower limit for the first frame only: a
   *   server reads a connection's handshake with it, so that a peer that
   *   never completes one cannot make it buffer more than that.
   */
  constructor(maxFrameBytes: number = maxFrame, firstFrameMaxBytes: number = maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
    this.#limit = Math.min(firstFrameMaxBytes, maxFrameBytes);
  }

  /** Bytes received that do not yet form a complete frame. */
  get bufferedBytes(): number {
    return this.#pendingBytes;
  }

  /**
   * Appends a chunk; returns the frames it completed, in order.
   * @throws FrameError on a zero-length or oversized frame. The decoder is unusable afterwards.
   */
  push(chunk: Buffer): Frame[] {
    const frames: Frame[] = [];
    let buffer: Buffer;
    if (this.#pendingBytes === 0) {
      buffer = chunk;
    } else {
      this.#pending.push(chunk);
      this.#pendingBytes += chunk.length;
      if (this.#pendingBytes < this.#needed) return frames;
      buffer = Buffer.concat(this.#pending, this.#pendingBytes);
      this.#pending = [];
      this.#pendingBytes = 0;
    }

    let offset = 0;
    while (buffer.length - offset >= FRAME_LENGTH_BYTES) {
      const length = this.#checkedLength(buffer.readUInt32BE(offset));
      const end = offset + FRAME_LENGTH_BYTES + length;
      if (end > buffer.length) break;
      frames.push({
        type: buffer[offset + FRAME_LENGTH_BYTES],
        body: buffer.subarray(offset + FRAME_HEADER_BYTES, end),
      });
      offset = end;
      this.#limit = this.maxFrameBytes;
    }

    if (offset < buffer.length) {
      const rest = buffer.subarray(offset);
      this.#pending = [rest];
      this.#pendingBytes = rest.length;
      this.#needed =
        rest.length >= FRAME_LENGTH_BYTES
          ? FRAME_LENGTH_BYTES + this.#checkedLength(rest.readUInt32BE(0))
          : FRAME_LENGTH_BYTES;
    } else {
      this.#needed = FRAME_LENGTH_BYTES;
    }
    return frames;
  }

  #checkedLength(length: number): number {
    if (length === 0) {
      throw new FrameError('ERR_FRAME_MALFORMED', 'Received a frame of length 0 (a frame holds at least its type byte)');
    }
    if (length > this.#limit) {
      const which = this.#limit < this.maxFrameBytes ? 'the limit of a first frame' : 'the limit';
      throw new FrameError('ERR_FRAME_TOO_LARGE', `Received a frame of ${length} bytes, over ${which} of ${this.#limit} bytes`);
    }
    return length;
  }
}
