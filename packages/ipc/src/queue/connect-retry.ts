/**
 * How long a writer keeps trying to reach a host whose socket refuses it.
 * A host's listen backlog fills up while its process is busy (or while other
 * processes flood it with connections); a host that died leaves its socket
 * file behind for the moment its main process takes to rebind its writers.
 * Both pass well within this time.
 */
export const CONNECT_RETRY_LIMIT_MS = 30_000;
const FIRST_DELAY_MS = 5;
const MAX_DELAY_MS = 500;

/**
 * Connection failures that say "not now" rather than "never": a full backlog
 * (EAGAIN), nobody listening yet or any more (ECONNREFUSED, ENOENT), a
 * connection cut before the host answered its first frame (ECONNRESET, EPIPE,
 * or no error at all).
 */
const TRANSIENT = new Set(['EAGAIN', 'ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE']);

/** True when a connection that failed with `error` (undefined: closed without one) is worth another attempt. */
export function isTransientConnectError(error: NodeJS.ErrnoException | undefined): boolean {
  const code = error?.code;
  return code === undefined || TRANSIENT.has(code);
}

/**
 * The back-off of one writer's attempts at one address: 5 ms, doubling up to
 * 500 ms between attempts, until `limitMs` have passed since the first
 * failure. Pure: the clock is passed in.
 */
export class ConnectRetry {
  readonly limitMs: number;
  /** Failed attempts so far. */
  failures = 0;
  #firstFailureAt: number | undefined;

  constructor(limitMs: number = CONNECT_RETRY_LIMIT_MS) {
    this.limitMs = limitMs;
  }

  /** An attempt failed at `now`: the delay before the next one, or undefined when the time is up. */
  failed(now: number): number | undefined {
    this.#firstFailureAt ??= now;
    this.failures++;
    const elapsed = now - this.#firstFailureAt;
    if (elapsed >= this.limitMs) return undefined;
    const delay = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (this.failures - 1));
    return Math.min(delay, this.limitMs - elapsed);
  }

  /** Milliseconds since the first failure. */
  elapsed(now: number): number {
    return this.#firstFailureAt === undefined ? 0 : now - this.#firstFailureAt;
  }
}
