/**
 * The errors prodcon raises, under one root. Each carries a stable `code` so
 * that callers can branch on it without parsing messages. @prodcon/core
 * re-exports ProdconError and derives its own errors from it, so that
 * `error instanceof ProdconError` holds for every error either package raises.
 */
export class ProdconError extends Error {
  /** Stable identifier of the failure ("ERR_FRAME_TOO_LARGE"): branch on it, not on the message. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A frame whose header is malformed or whose length exceeds the connection's limit. */
export class FrameError extends ProdconError {}

/** A value that a codec cannot carry (a function, a symbol), or bytes it cannot decode. */
export class CodecError extends ProdconError {}

/** A value too large to send in one frame (`ERR_VALUE_TOO_LARGE`): refused where it is sent. */
export class SizeError extends ProdconError {}

/** A peer broke the queue protocol (sent more items than it had credit for, an unknown queue...). */
export class ProtocolError extends ProdconError {}

/**
 * A writer could not reach its queue's host (`ERR_QUEUE_UNREACHABLE`): every
 * connection attempt was refused (a full listen backlog, a host not
 * listening) for as long as the writer kept retrying.
 */
export class ConnectError extends ProdconError {}
