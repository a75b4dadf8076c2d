import { debuglog } from 'node:util';

/**
 * Per-process transport counters. They exist so that a dropped connection is
 * never silent: every malformed frame and protocol violation is counted here
 * and logged once per connection.
 */
export const transportStats = {
  /** Connections closed because a frame was malformed, oversized or undecodable. */
  badFrames: 0,
  /** Connections closed because the peer broke the queue protocol. */
  protocolErrors: 0,
  /** Connections closed before their first frame: too slow to send it, or pushed out by newer ones (see SocketServer). */
  handshakeFailures: 0,
};

/** Where transport warnings go: one line of text per call. */
export type TransportLogger = (message: string) => void;

// Silent by default: NODE_DEBUG=prodcon shows them (and @prodcon/core routes them to its logger).
const debug = debuglog('prodcon');
let logger: TransportLogger = (message) => debug('%s', message);

/** Replaces where transport warnings go (default: Node's `util.debuglog('prodcon')`, shown with NODE_DEBUG=prodcon). */
export function setTransportLogger(next: TransportLogger): void {
  logger = next;
}

/** Reports a transport warning (a connection closed on a bad frame...) to the current logger. */
export function logTransportWarning(message: string): void {
  logger(message);
}
