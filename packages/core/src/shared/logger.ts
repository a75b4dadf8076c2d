import { debuglog } from 'node:util';
import { setTransportLogger } from '@prodcon/ipc';

/** How loud a diagnostic is. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Where prodcon's own diagnostics can go: any object with pino's methods
 * (`logger.warn({ worker: 'sensor' }, 'message')`), such as a pino logger or
 * a child of one. `console` fits too (it prints the fields, then the message).
 */
export interface DiagnosticLogger {
  /** Detail: rarely useful outside a debugging session. */
  debug(fields: object, message: string): void;
  /** Something worth knowing happened (a restart). */
  info(fields: object, message: string): void;
  /** Something went wrong and prodcon carried on (drops, a connection closed on a bad frame, a slow stop). */
  warn(fields: object, message: string): void;
  /** Something failed. */
  error(fields: object, message: string): void;
}

const debug = debuglog('prodcon');
let target: DiagnosticLogger | undefined;
/** Extra destinations (a child forwards its diagnostics to the main process's logger). */
let forward: ((level: LogLevel, message: string, fields: object) => void) | undefined;

/**
 * Sends one diagnostic: to the logger given to `configure({ logger })`, and
 * to Node's `util.debuglog('prodcon')` (printed with NODE_DEBUG=prodcon).
 * Silent by default.
 */
export function log(level: LogLevel, message: string, fields: object = {}): void {
  if (debug.enabled) debug('%s %s %j', level, message, fields);
  target?.[level](fields, message);
  forward?.(level, message, fields);
}

/** Whether anything would show a diagnostic (skip building costly ones when not). */
export function logging(): boolean {
  return debug.enabled || target !== undefined || forward !== undefined;
}

/** Sets (or, with undefined, removes) the logger of this process. */
export function setLogger(logger: DiagnosticLogger | undefined): void {
  target = logger;
}

/** Whether a logger object was set (children are then asked to forward their diagnostics). */
export function hasLogger(): boolean {
  return target !== undefined;
}

/** In a child: forward every diagnostic to the main process too. */
export function forwardLogs(to: ((level: LogLevel, message: string, fields: object) => void) | undefined): void {
  forward = to;
}

// The transport's warnings (a connection closed on a bad frame) go the same way.
setTransportLogger((message) => log('warn', message, { component: 'transport' }));
