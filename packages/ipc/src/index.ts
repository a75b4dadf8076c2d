/**
 * @prodcon/ipc: how prodcon processes talk. Length-prefixed frames over Unix
 * sockets, per-frame codecs, adaptive batching, and queues with credit-based
 * flow control (lossless) or drop-oldest (lossy).
 */
export * from './errors.js';
export * from './framing.js';
export * from './codecs/index.js';
export * from './ring-buffer.js';
export * from './signal.js';
export * from './stats.js';
export * from './connection.js';
export * from './outbox.js';
export * from './queue-protocol.js';
export * from './queue-sink.js';
export * from './queue-host.js';
export * from './queue-writer.js';
export * from './queue-router.js';
export * from './pool-writer.js';
export * from './server.js';
export * from './socket-dir.js';
