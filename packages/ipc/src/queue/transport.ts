import type { CodecName } from '../codecs/codec.js';
import type { Inspection } from '../codecs/inspect.js';
import type { PutOutcome } from './sink.js';
import type { QueueSink } from './sink.js';
import type { QueueSource } from './source.js';

/**
 * A queue kept by an engine (Redis Streams, say) instead of a consumer's
 * process, as it crosses process boundaries: plain JSON, no secrets (each
 * process takes credentials from its own environment).
 */
export interface EngineBinding {
  /** The transport's name ('redis'), for messages. */
  transport: string;
  /**
   * What `import()` loads to reach the transport: a module URL (or a bare
   * specifier) exporting `createTransport()`. A consumer's child whose
   * worker module never imports the transport package still finds it here.
   */
  module: string;
  /** Where the engine listens, without credentials ('redis://10.0.0.5:6379/0'). */
  endpoint: string;
  /** Keeps the queues of one deployment apart from another's on the same engine. */
  namespace: string;
  /** The queue's name on the engine. */
  queue: string;
}

/** How an engine sink names itself, encodes values, and what queue it writes. */
export interface EngineSinkOptions {
  /** The queue's id in this deployment (the ReadyQueue's): counters are reported under it. */
  queueId: string;
  /** Names the writer in warnings ("producer 'sensor'"). */
  writerName: string;
  lossy: boolean;
  capacity: number;
  codec?: CodecName;
  /** Names the values in errors (default "item"). */
  label?: string;
}

/** How an engine source hosts its queue. */
export interface EngineSourceOptions {
  /** The queue's id in this deployment (the ReadyQueue's). */
  queueId: string;
  /** Names the queue in warnings ("queue of consumer 'logger'"). */
  name: string;
  /** Names this host among the queue's hosts (a pool member's name). */
  member: string;
  capacity: number;
  lossy: boolean;
  /** Whether the queue accepts items from the start (a queue that exists keeps its flag). */
  ready: boolean;
  /** Acknowledge items only once consumed (pool members: at-least-once). */
  acknowledge: boolean;
}

/** A queue's figures as the engine keeps them, for any process to read. */
export interface EngineQueueStats {
  /** Items waiting in the engine, not yet delivered to a consumer. */
  size: number;
  /** Items holding capacity (lossless: queued plus delivered and not yet acknowledged). */
  occupied: number;
  /** Every drop the engine counted, by cause; `total` adds them up. */
  dropped: Record<string, number> & { total: number };
  /** A consumer hosts the queue now. */
  hosted: boolean;
  /** The ready flag (independent of whether a consumer hosts it). */
  ready: boolean;
}

/** The writing end of an engine queue: a QueueSink, plus what the engine adds. */
export interface EngineSink extends QueueSink {
  /** Puts refused by the caller's own decision (a stop while waiting for room): counted in `dropped`. */
  refused: number;
  /** @param inspection the value's inspection, when the caller already walked it. */
  tryPut(value: unknown, inspection?: Inspection): PutOutcome;
  /**
   * Where or whether the queue accepts items may have changed (a consumer
   * started or stopped, the ready flag moved): look again, waiting (lossless)
   * or buffering (lossy) until the engine answers. `expectHost`: a consumer
   * of this process's main process is starting or hosts the queue, so a
   * queue with no host yet is waited for instead of refused.
   */
  rebind(expectHost: boolean): void;
  /** Counts `count` values dropped before this sink existed (a lazy sink's own, while its transport loaded). */
  countDropped(count: number): void;
  /** The engine's drop total as last seen (every cause, every process). */
  readonly engineDropped: number;
}

/** The reading end of an engine queue: a QueueSource, plus what the engine adds. */
export interface EngineSource extends QueueSource {
  /** The engine's drop total as last seen (every cause, every process). */
  readonly engineDropped: number;
  /** Resolves once `shutdown()` let go of the engine (the host's lease, its connections). */
  whenShutDown(): Promise<void>;
}

/**
 * One engine, as prodcon uses it: a transport builds the writing end
 * (`createSink`) and the reading end (`createSource`) of a queue from its
 * binding, and answers questions any process may ask about a queue.
 */
export interface Transport {
  readonly name: string;
  createSink(binding: EngineBinding, options: EngineSinkOptions): EngineSink;
  /** Connects, creates the queue or joins it, and starts reading. */
  createSource(binding: EngineBinding, options: EngineSourceOptions): Promise<EngineSource>;
  stats(binding: EngineBinding): Promise<EngineQueueStats>;
  /** Sets the queue's ready flag; not ready also clears what is queued (counted). */
  setReady(binding: EngineBinding, ready: boolean): Promise<void>;
  /** Drops what is queued (counted); returns how many items. */
  clear(binding: EngineBinding): Promise<number>;
  /**
   * Follows the queue's writers: `listener` gets how many are open and how
   * many ended, at once and whenever that may have changed. Returns a
   * function that stops following.
   */
  watchWriters(binding: EngineBinding, listener: (writers: { open: number; ended: number }) => void): () => void;
  /** Closes every connection this transport opened. */
  close(): Promise<void>;
}

/** What a transport module exports. */
export interface TransportModule {
  createTransport(): Transport;
}

const loaded = new Map<string, Promise<Transport>>();

/**
 * The transport a binding names, loaded on first use (one per module and
 * process): processes that never meet an engine queue never load its client.
 */
export function loadTransport(binding: EngineBinding): Promise<Transport> {
  let transport = loaded.get(binding.module);
  if (!transport) {
    transport = (import(binding.module) as Promise<TransportModule>).then((module) => module.createTransport());
    loaded.set(binding.module, transport);
  }
  return transport;
}

/** Closes every transport this process loaded (a process about to exit). */
export async function closeTransports(): Promise<void> {
  const transports = [...loaded.values()];
  loaded.clear();
  await Promise.all(transports.map(async (transport) => (await transport).close()));
}

/** A stable key for one engine queue (transport, endpoint, namespace, name). */
export function engineQueueKey(binding: EngineBinding): string {
  return `${binding.transport}|${binding.endpoint}|${binding.namespace}|${binding.queue}`;
}
