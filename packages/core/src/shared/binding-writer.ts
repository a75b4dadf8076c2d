import { LazyEngineSink, PoolWriter, QueueWriter, type CodecName, type ConnectError } from '@prodcon/ipc';
import type { QueueBinding } from './protocol.js';

/** What writes into a queue from a child or the main process: one queue, a pool (each item to one member), or an engine queue. */
export type BindingWriter = QueueWriter | PoolWriter | LazyEngineSink;

export interface BindingWriterOptions {
  /** Names the writer to the host ("producer 'sensor'"). */
  writerName: string;
  codec?: CodecName;
  /** A socket writer gave up reaching its host (see QueueWriterOptions.onUnreachable). */
  onUnreachable?: (error: ConnectError) => void;
  /** How long socket writers retry a refused connection (see QueueWriterOptions.connectRetryMs). */
  connectRetryMs?: number;
}

/**
 * The writer for the queue `binding` describes, pointed at where that queue
 * is now: a PoolWriter for a pool's queue, a QueueWriter for any other.
 * `existing` (the writer already used for this queue) is kept and rebound
 * when it is of the right kind, so that a moved queue keeps its writer's
 * counters and order.
 */
export function writerFor(binding: QueueBinding, options: BindingWriterOptions, existing?: BindingWriter): BindingWriter {
  const common = { queueId: binding.queueId, capacity: binding.capacity, writerName: options.writerName, codec: options.codec };
  const sockets = { ...common, onUnreachable: options.onUnreachable, connectRetryMs: options.connectRetryMs };
  if (binding.engine) {
    const writer = existing instanceof LazyEngineSink ? existing : new LazyEngineSink(binding.engine, { ...common, lossy: binding.lossy });
    writer.rebind(binding.address === 'pending');
    return writer;
  }
  if (binding.members) {
    const writer = existing instanceof PoolWriter ? existing : new PoolWriter(sockets);
    writer.bind(binding.members);
    return writer;
  }
  const writer = existing instanceof QueueWriter ? existing : new QueueWriter({ ...sockets, lossy: binding.lossy });
  writer.bind(binding.address ?? undefined);
  return writer;
}
