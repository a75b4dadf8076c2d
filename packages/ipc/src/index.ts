/**
 * @prodcon/ipc: how prodcon processes talk. Length-prefixed frames over Unix
 * sockets, per-frame codecs, adaptive batching, and queues with credit-based
 * flow control (lossless) or drop-oldest (lossy).
 *
 * One folder per concern: `codecs/` (values to bytes), `wire/` (frames,
 * connections, servers, batching), `queue/` (the queue protocol, its writers
 * and hosts), `util/` (small data structures). This barrel names every
 * public export; anything not listed here is internal to the package.
 */
export { ProdconError, FrameError, CodecError, ProtocolError, SizeError, ConnectError } from './errors.js';

export {
  CodecId,
  CODEC_NAMES,
  payloadBytes,
  chooseCodec,
  encodeBatch,
  encodeValues,
  decodeBatch,
  decodeFrameBody,
  codecNeedsLoading,
  codecName,
  type WireCodecId,
  type CodecName,
  type EncodedBatch,
} from './codecs/codec.js';
export { encodeOne, encodeOneNow } from './codecs/encode-one.js';
export { checkSize } from './codecs/size.js';
export {
  PLAIN,
  STRUCTURED,
  CLASSY,
  inspectValue,
  inspectValues,
  mergeInspection,
  unsupportedValueError,
  hasUnsupportedValue,
  type ValueKind,
  type Inspection,
} from './codecs/inspect.js';
export { loadSuperjson, superjsonIfLoaded, registerClass, registerCustomType } from './codecs/superjson-loader.js';

export {
  FRAME_LENGTH_BYTES,
  FRAME_HEADER_BYTES,
  SOCKET_HIGH_WATER_MARK,
  DEFAULT_MAX_FRAME_BYTES,
  MAX_FRAME_BYTES_ENV,
  maxFrameBytes,
  setMaxFrameBytes,
  frameHeader,
  encodeFrame,
  FrameDecoder,
  readJson,
  type Frame,
} from './wire/framing.js';
export { FramedConnection, type FrameHandler, type FramedConnectionOptions } from './wire/connection.js';
export { SocketServer, connectUnix, type SocketServerOptions } from './wire/server.js';
export { Outbox, TARGET_FRAME_BYTES, type OutboxOptions } from './wire/outbox.js';
export { createPrivateSocketDir, removeOnExit, removeSocketFile, removeStaleSocketDirs, socketPath } from './wire/socket-dir.js';
export { transportStats, setTransportLogger, logTransportWarning, type TransportLogger } from './wire/stats.js';

export {
  QueueFrame,
  type HostState,
  type OpenMessage,
  type StateMessage,
  type GrantMessage,
  type RevokeMessage,
  type ReturnedMessage,
  type AckMessage,
} from './queue/protocol.js';
export { putWhenWritable, isBlocking, type QueueSink, type WriterState, type PutOutcome } from './queue/sink.js';
export type { QueueSource } from './queue/source.js';
export { DROP_CAUSES, addDrops, maxDrops, noDrops, totalDrops, type DropCause, type DropCounts } from './queue/drops.js';
export { QueueHost, type QueueHostOptions } from './queue/host.js';
export { FrameLatency } from './queue/latency.js';
export { QueueWriter, type QueueWriterOptions } from './queue/writer.js';
export { PoolWriter, type PoolMemberAddress, type PoolWriterOptions } from './queue/pool-writer.js';
export { WaitingPuts, type BatchSink } from './queue/waiting-puts.js';
export { QueueRouter } from './queue/router.js';
export {
  loadTransport,
  closeTransports,
  engineQueueKey,
  onEngineNews,
  tellEngineNews,
  type EngineBinding,
  type EngineNews,
  type EngineNewsCode,
  type EngineSink,
  type EngineSinkOptions,
  type EngineSource,
  type EngineSourceOptions,
  type EngineQueueStats,
  type Transport,
  type TransportModule,
} from './queue/transport.js';
export { LazyEngineSink } from './queue/engine-sink.js';

export { RingBuffer } from './util/ring-buffer.js';
export { Signal } from './util/signal.js';
