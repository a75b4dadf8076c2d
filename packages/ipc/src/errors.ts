/**
 * Errors raised by the transport. Each carries a stable `code` so that callers
 * can branch on it without parsing messages.
 */
export class IpcError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A frame whose header is malformed or whose length exceeds the connection's limit. */
export class FrameError extends IpcError {}

/** A value that a codec cannot carry (a function, a symbol), or bytes it cannot decode. */
export class CodecError extends IpcError {}

/** A peer broke the queue protocol (sent more items than it had credit for, an unknown queue...). */
export class ProtocolError extends IpcError {}
