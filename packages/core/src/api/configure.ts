import { ConfigError } from '../shared/errors.js';
import { describe } from '../shared/describe.js';
import { setMaxFrameBytes } from '@prodcon/ipc';
import { setSignalHandling } from '../parent/signals.js';
import { setLogger, type DiagnosticLogger } from '../shared/logger.js';

/** Process-wide settings of prodcon. */
export interface ProdconSettings {
  /**
   * Whether prodcon handles SIGINT (Ctrl-C) and SIGTERM for an application
   * that has no listener of its own for them (default true): the first one
   * stops every worker gracefully, upstream first, then exits with status
   * 130 or 143; a second one kills the children at once. An application that
   * listens for the signal itself keeps full control either way.
   */
  handleSignals?: boolean;
  /**
   * The largest frame (bytes) prodcon sends or accepts between processes
   * (default 64 MiB; at least 64 KiB): an item, result, message or `args`
   * larger than it is refused where it is sent (`SizeError`,
   * `ERR_VALUE_TOO_LARGE`); smaller values are batched into frames under it.
   * Children started afterwards get the same limit.
   */
  maxFrameBytes?: number;
  /**
   * Where prodcon's own diagnostics go (connections closed on bad frames,
   * restarts, drops, slow stops, failures): a pino logger or any object with
   * its methods (`warn(fields, message)`...). Workers started afterwards
   * forward their children's diagnostics to it. Default: none; without one,
   * `NODE_DEBUG=prodcon` prints them (Node's `util.debuglog`). `null` removes it.
   */
  logger?: DiagnosticLogger | null;
}

/**
 * Changes process-wide settings (call it in the main process, before starting workers).
 *
 * @example
 * ```ts
 * configure({ handleSignals: false }); // the signals kill the main process at once; its children then stop by themselves
 * ```
 */
export function configure(settings: ProdconSettings): void {
  if (settings === null || typeof settings !== 'object') {
    throw new ConfigError('ERR_INVALID_OPTION', `configure() takes an object of settings, got ${describe(settings)}`);
  }
  if (settings.handleSignals !== undefined) {
    if (typeof settings.handleSignals !== 'boolean') {
      throw new ConfigError('ERR_INVALID_OPTION', `configure(): "handleSignals" must be true or false, got ${describe(settings.handleSignals)}`);
    }
    setSignalHandling(settings.handleSignals);
  }
  if (settings.maxFrameBytes !== undefined) {
    const bytes = settings.maxFrameBytes;
    if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 64 * 1024 || bytes > 2 ** 32 - 1) {
      throw new ConfigError('ERR_INVALID_OPTION', `configure(): "maxFrameBytes" must be a whole number of bytes from 65536 to 4294967295, got ${describe(bytes)}`);
    }
    setMaxFrameBytes(bytes);
  }
  if (settings.logger !== undefined) {
    const logger = settings.logger;
    if (logger !== null && (typeof logger !== 'object' || (['debug', 'info', 'warn', 'error'] as const).some((level) => typeof logger[level] !== 'function'))) {
      throw new ConfigError('ERR_INVALID_OPTION', `configure(): "logger" must have debug, info, warn and error methods (a pino logger), got ${describe(logger)}`);
    }
    setLogger(logger ?? undefined);
  }
}
