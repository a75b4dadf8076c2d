import { CODEC_NAMES, type CodecName } from '@prodcon/ipc';
import { ConfigError } from '../shared/errors.js';
import { describe } from '../shared/describe.js';

/** Options shared by producers and consumers. */
export interface WorkerOptions<TArgs> {
  /** Names the worker in errors, logs and `ps` (default: the class name). */
  name?: string;
  /** Arguments for the hooks, available as `ctx.args` (merged with the arguments given to `start()`). */
  args?: TArgs;
  /** Codec for items, results and messages (default `auto`: see @prodcon/ipc `CodecName`). */
  codec?: CodecName;
  /**
   * What the child prints: `prefix` (default) writes each line to this
   * process's stdout/stderr prefixed with `[name]`; `inherit` shares the
   * terminal directly; `ignore` discards it.
   */
  output?: 'prefix' | 'inherit' | 'ignore';
  /** Extra Node.js flags for the child (default: inherited from this process). */
  execArgv?: string[];
  /** How long `stop()` waits for onStop and exit before it kills the child (ms, default 5000). */
  stopTimeout?: number;
  /**
   * How long a connection may take to be made (ms, default 30,000):
   * - a starting child's connection back to the main process (Node's boot and
   *   any `--import` hooks, before the worker's module loads): a child that
   *   has not connected by then is killed and `start()` rejects with
   *   `ERR_WORKER_SPAWN`;
   * - the child's connections to the queues it writes into: while a queue's
   *   host refuses them (a full listen backlog, a host not listening yet),
   *   they are retried with back-off for this long, then the worker fails
   *   with `ERR_QUEUE_UNREACHABLE`.
   */
  connectTimeout?: number;
  /**
   * Emit a 'metrics' event every this many ms while the worker runs, and
   * measure `work` durations and the child's memory and CPU (default: off;
   * a 'metrics' listener turns it on, every 1000 ms).
   */
  metricsInterval?: number;
}

/** Options of `start()`. */
export interface StartOptions<TArgs> {
  /** Merged over the constructor's args for this run (objects merge; other values replace). */
  args?: Partial<TArgs> | TArgs;
}

/** Options of `stop()`. */
export interface StopOptions {
  /** Milliseconds to wait for onStop and exit before the child is killed (default: the worker's stopTimeout, 5000). */
  timeout?: number;
}

export const DEFAULT_CONNECT_TIMEOUT = 30_000;

export const DEFAULT_STOP_TIMEOUT = 5000;

/**
 * Whose options are checked: a label for messages (`Producer 'sensor'`), and
 * the name that ConfigError.worker carries. A plain string labels something
 * that is not a worker (a ReadyQueue).
 */
export type OptionOwner = string | { label: string; worker: string };

/** The owner of a worker's (or a pool's) options: `Producer 'sensor'`. */
export function optionOwner(kind: string, name: string): OptionOwner {
  return { label: `${kind} '${name}'`, worker: name };
}

/** A ConfigError about `owner`'s options: the message starts with its label and says what to fix. */
export function invalidOption(owner: OptionOwner, message: string): ConfigError {
  if (typeof owner === 'string') return new ConfigError('ERR_INVALID_OPTION', `${owner}: ${message}`);
  return new ConfigError('ERR_INVALID_OPTION', `${owner.label}: ${message}`, { worker: owner.worker });
}

/** Validates the options common to every worker; returns the normalised name. */
export function validateWorkerOptions(className: string, options: WorkerOptions<unknown>): string {
  const unnamed = { label: className, worker: className };
  if (options === null || typeof options !== 'object') {
    throw invalidOption(unnamed, `options must be an object, got ${describe(options)}`);
  }
  const name = options.name ?? className;
  if (typeof name !== 'string' || name.length === 0) {
    throw invalidOption(unnamed, `option "name" must be a non-empty string, got ${describe(name)}`);
  }
  const where = optionOwner('Worker', name);
  if (options.codec !== undefined && !CODEC_NAMES.includes(options.codec)) {
    throw invalidOption(where, `option "codec" must be one of ${CODEC_NAMES.join(', ')}, got ${describe(options.codec)}`);
  }
  if (options.output !== undefined && !['prefix', 'inherit', 'ignore'].includes(options.output)) {
    throw invalidOption(where, `option "output" must be 'prefix', 'inherit' or 'ignore', got ${describe(options.output)}`);
  }
  if (options.execArgv !== undefined && (!Array.isArray(options.execArgv) || options.execArgv.some((flag) => typeof flag !== 'string'))) {
    throw invalidOption(where, 'option "execArgv" must be an array of strings');
  }
  if (options.stopTimeout !== undefined) checkDuration(where, 'stopTimeout', options.stopTimeout);
  if (options.connectTimeout !== undefined) checkDuration(where, 'connectTimeout', options.connectTimeout);
  if (options.metricsInterval !== undefined) checkDuration(where, 'metricsInterval', options.metricsInterval);
  return name;
}

/** A duration in milliseconds: finite and ≥ 0. */
export function checkDuration(where: OptionOwner, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidOption(where, `option "${option}" must be a number of milliseconds ≥ 0, got ${describe(value)}`);
  }
  return value;
}

/** A count: a whole number ≥ 1. */
export function checkCount(where: OptionOwner, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalidOption(where, `option "${option}" must be a whole number ≥ 1, got ${describe(value)}`);
  }
  return value;
}

/** A whole number ≥ 0 (a total of items). */
export function checkWhole(where: OptionOwner, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw invalidOption(where, `option "${option}" must be a whole number ≥ 0, got ${describe(value)}`);
  }
  return value;
}

export function checkBoolean(where: OptionOwner, option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw invalidOption(where, `option "${option}" must be true or false, got ${describe(value)}`);
  }
  return value;
}

/** The queues given to setSubscribers(): an array of ReadyQueues. */
export function checkSubscribers<Q>(name: string, queues: Q[]): Q[] {
  const where = optionOwner('Worker', name);
  if (!Array.isArray(queues)) {
    throw invalidOption(where, `setSubscribers() takes an array of ReadyQueues, got ${describe(queues)}`);
  }
  for (const queue of queues) {
    if (!queue || typeof (queue as { binding?: unknown }).binding !== 'function') {
      throw invalidOption(where, `subscribers must be ReadyQueues (e.g. consumer.getWorkQueue()), got ${describe(queue)}`);
    }
  }
  return queues;
}

/** Merges constructor args with start() args: objects merge (start() wins), anything else replaces. */
export function mergeArgs(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (isPlainObject(base) && isPlainObject(override)) return { ...base, ...override };
  return override;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
