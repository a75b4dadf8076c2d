import type { CodecName } from '../codecs/codec.js';
import type { ProdconError } from '../errors.js';
import type { Inspection } from '../codecs/inspect.js';
import type { DropCause, DropCounts } from './drops.js';
import type { PutOutcome, QueueSink } from './sink.js';
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
  /** Every drop the engine counted, by cause (every process's). */
  drops: DropCounts;
  /** The sum of `drops`. */
  dropped: number;
  /** A consumer hosts the queue now. */
  hosted: boolean;
  /** The ready flag (independent of whether a consumer hosts it). */
  ready: boolean;
}

/** The writing end of an engine queue: a QueueSink, plus what the engine adds. */
export interface EngineSink extends QueueSink {
  /**
   * Takes a value (see QueueSink.tryPut): `sent`, `noCredit` (lossless: wait
   * with whenWritable), or `refused`.
   * @param inspection the value's inspection, when the caller already walked it.
   */
  tryPut(value: unknown, inspection?: Inspection): PutOutcome;
  /**
   * Where or whether the queue accepts items may have changed (a consumer
   * started or stopped, the ready flag moved): look again, waiting (lossless)
   * or buffering (lossy) until the engine answers. `expectHost`: a consumer
   * of this process's main process is starting or hosts the queue, so a
   * queue with no host yet is waited for instead of refused.
   */
  rebind(expectHost: boolean): void;
  /**
   * Counts `count` values dropped under `cause` before they could be put: a
   * producer stopping in front of a full queue, or what a lazy sink dropped
   * while its transport loaded. The engine hears of them too.
   */
  countDrop(cause: DropCause, count?: number): void;
  /** The engine's drops by cause as last seen (every process's). */
  readonly engineDrops: Readonly<DropCounts>;
}

/** The reading end of an engine queue: a QueueSource, plus what the engine adds. */
export interface EngineSource extends QueueSource {
  /** The engine's drops by cause as last seen (every process's). */
  readonly engineDrops: Readonly<DropCounts>;
  /** Resolves once `shutdown()` let go of the engine (the host's lease, its connections). */
  whenShutDown(): Promise<void>;
}

/**
 * One engine, as prodcon uses it: a transport builds the writing end
 * (`createSink`) and the reading end (`createSource`) of a queue from its
 * binding, and answers questions any process may ask about a queue.
 */
export interface Transport {
  /** The transport's name ('redis'), as bindings carry it. */
  readonly name: string;
  /** The writing end of the queue `binding` names, for one writer; it connects by itself. */
  createSink(binding: EngineBinding, options: EngineSinkOptions): EngineSink;
  /** Connects, creates the queue or joins it, and starts reading. */
  createSource(binding: EngineBinding, options: EngineSourceOptions): Promise<EngineSource>;
  /** The queue's figures, as the engine keeps them now. */
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

/**
 * What an engine tells every process that follows one of its queues: not
 * failures (each process goes on), but news that the workers of those
 * processes hear as 'error' events. `ERR_TRANSPORT_RESET`: the queue vanished
 * from the engine and was re-created (what it held is counted as dropped,
 * `lost`); `ERR_HOST_LOST`: a host of the queue stopped renewing its lease,
 * and what it had not acknowledged went to the live hosts.
 */
export type EngineNewsCode = 'ERR_TRANSPORT_RESET' | 'ERR_HOST_LOST';

/** A piece of engine news: an error with one of the EngineNewsCode codes. */
export type EngineNews = ProdconError & { readonly code: EngineNewsCode };

const newsListeners = new Set<(news: EngineNews, queue: EngineBinding) => void>();

/** Calls `listener` with every piece of engine news this process hears, and the queue it concerns; returns a function that stops it. */
export function onEngineNews(listener: (news: EngineNews, queue: EngineBinding) => void): () => void {
  newsListeners.add(listener);
  return () => newsListeners.delete(listener);
}

/** Tells this process's listeners a piece of news about `queue` (a transport calls it once per event and process). */
export function tellEngineNews(news: EngineNews, queue: EngineBinding): void {
  for (const listener of [...newsListeners]) listener(news, queue);
}

/** What a transport module exports. */
export interface TransportModule {
  /** Makes this process's transport (once per process: see loadTransport). */
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
