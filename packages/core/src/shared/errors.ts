// The one error root of both packages: CodecError and the other transport errors extend it too.
import { ProdconError } from '@prodcon/ipc';

export { ProdconError };

/**
 * Where in a worker's life an error happened. `exit`: the child process died
 * on its own. `flushing` and `closing` are prodcon's own end of a run, after
 * the user's hooks returned (a stop timeout names them): its writers flushing
 * what they accepted into the subscriber queues, then its queue and link closing.
 */
export type WorkerPhase = 'onStart' | 'work' | 'onMessage' | 'onStop' | 'flushing' | 'closing' | 'exit';

/** An error as it crosses the process boundary: everything needed to rebuild it, stack included. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string | number;
  cause?: SerializedError;
}


/** Codes a WorkerError can carry. */
export type WorkerErrorCode =
  /** A hook (onStart, work, onStop) threw in the child. */
  | 'ERR_WORKER_FAILED'
  /** The child process exited without being asked to (killed, process.exit, crash). */
  | 'ERR_WORKER_EXITED'
  /** The worker's module could not be loaded, or does not export the class. */
  | 'ERR_WORKER_MODULE'
  /** stop({ timeout }) ran out: the child was killed before onStop finished. */
  | 'ERR_STOP_TIMEOUT'
  /** The child process could not be started at all. */
  | 'ERR_WORKER_SPAWN'
  /** Not a failure (`fatal` is false): an engine queue the worker uses vanished and was re-created; its loss is counted as dropped. */
  | 'ERR_TRANSPORT_RESET'
  /** Not a failure (`fatal` is false): another host of an engine queue the worker uses died; its unacknowledged items went to the live hosts. */
  | 'ERR_HOST_LOST';

/**
 * A failure of a worker, reported in the main process. Its `stack` is the
 * child's stack (headed by this error's message) and its `cause` is the child's
 * error rebuilt with its name, message, code and stack. A few codes are news
 * rather than failures (`fatal` is false): the worker goes on.
 */
export class WorkerError extends ProdconError {
  declare readonly code: WorkerErrorCode;
  /** The hook that failed, or `exit` when the process died by itself. */
  readonly phase: WorkerPhase;
  /** The worker's name. */
  readonly worker: string;
  /** Exit code or signal of the child, when it is known. */
  readonly exitCode?: number;
  readonly signal?: string;
  /** The items a consumer was working when it failed (its batch), when the child could report them. */
  readonly held?: unknown[];
  /**
   * False for news that leaves the worker running (`ERR_TRANSPORT_RESET`,
   * `ERR_HOST_LOST`): it is told to 'error' listeners, never thrown, and
   * pools and pipelines pass it on instead of failing.
   */
  readonly fatal: boolean;

  constructor(
    code: WorkerErrorCode,
    details: {
      worker: string;
      phase: WorkerPhase;
      message: string;
      cause?: unknown;
      exitCode?: number;
      signal?: string;
      held?: unknown[];
      fatal?: boolean;
    },
  ) {
    super(code, details.message, details.cause === undefined ? undefined : { cause: details.cause });
    this.phase = details.phase;
    this.worker = details.worker;
    this.fatal = details.fatal ?? true;
    if (details.exitCode !== undefined) this.exitCode = details.exitCode;
    if (details.signal !== undefined) this.signal = details.signal;
    if (details.held !== undefined) this.held = details.held;
    const childStack = details.cause instanceof Error ? details.cause.stack : undefined;
    if (childStack) this.stack = `${this.name} [${code}]: ${details.message}\n${stackFrames(childStack)}`;
  }
}

/** True for news that is not a failure (a WorkerError whose `fatal` is false): the worker it concerns goes on. */
export function isNews(error: unknown): boolean {
  return error instanceof WorkerError && !error.fatal;
}

/** Bad options or arguments: the message names the worker and what to fix. */
export class ConfigError extends ProdconError {
  /** The name of the worker (or pool) whose options or arguments are wrong, when there is one. */
  readonly worker?: string;

  constructor(code: string, message: string, details: { worker?: string; cause?: unknown } = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    if (details.worker !== undefined) this.worker = details.worker;
  }
}

/**
 * A callback of the user's in the main process failed: `onResult` or
 * `onMessage` threw or returned a rejected promise, or a listener ('result',
 * 'message', 'state', 'progress'...) did. Reported as an 'error' event of the
 * worker (pool, pipeline) it belongs to, which goes on: the child is not
 * affected. Its `cause` is what was thrown.
 */
export class CallbackError extends ProdconError {
  declare readonly code: 'ERR_CALLBACK_FAILED';
  /** The name of the worker (or pool, or pipeline) the callback belongs to. */
  readonly worker: string;
  /** Which callback failed: `onResult`, `onMessage`, or a listener such as `'result' listener`. */
  readonly callback: string;

  constructor(details: { worker: string; callback: string; message: string; cause: unknown }) {
    super('ERR_CALLBACK_FAILED', details.message, { cause: details.cause });
    this.worker = details.worker;
    this.callback = details.callback;
  }
}

/** A call that the worker's current state does not allow (sendMessage to a stopped worker...). */
export class StateError extends ProdconError {}

/** Turns anything thrown into a SerializedError (non-errors become an Error named after their type). */
export function serializeError(thrown: unknown, depth = 0): SerializedError {
  if (thrown instanceof Error) {
    const serialized: SerializedError = { name: thrown.name, message: thrown.message };
    if (thrown.stack) serialized.stack = thrown.stack;
    const code = (thrown as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') serialized.code = code;
    if (thrown.cause !== undefined && depth < 8) serialized.cause = serializeError(thrown.cause, depth + 1);
    return serialized;
  }
  let message: string;
  try {
    message = typeof thrown === 'string' ? thrown : JSON.stringify(thrown) ?? String(thrown);
  } catch {
    message = String(thrown);
  }
  return { name: 'NonErrorThrown', message: `A non-error value was thrown: ${message}` };
}

/** Rebuilds an Error from its serialized form, keeping name, message, code, stack and cause. */
export function deserializeError(serialized: SerializedError): Error {
  const error = new Error(serialized.message, serialized.cause ? { cause: deserializeError(serialized.cause) } : undefined);
  Object.defineProperty(error, 'name', { value: serialized.name, configurable: true, writable: true });
  if (serialized.code !== undefined) (error as Error & { code?: string | number }).code = serialized.code;
  error.stack = serialized.stack ?? `${serialized.name}: ${serialized.message}`;
  return error;
}

/** The "    at ..." lines of a stack (everything after its headline). */
function stackFrames(stack: string): string {
  const index = stack.search(/\n\s+at /);
  return index === -1 ? '    at <child process>' : stack.slice(index + 1);
}
