import {
  LazyEngineSink,
  addDrops,
  loadTransport,
  logTransportWarning,
  maxDrops,
  noDrops,
  putWhenWritable,
  type CodecName,
  type DropCounts,
  type EngineBinding,
  type EngineQueueStats,
} from '@prodcon/ipc';
import type { QueueMetrics } from '../../shared/metrics-types.js';
import { consumedElsewhere, type HostedQueueBackend, type QueueBackend, type QueueIdentity } from './backend.js';
import type { HostedQueueControl } from './worker-backend.js';

/** Figures read back from the engine are this fresh at most when asked for (they are read on demand). */
const STATS_MAX_AGE_MS = 100;

type Phase = 'stopped' | 'starting' | 'running' | 'draining';

/**
 * A queue kept by an engine (Redis), shared by every process that names it:
 * consumers anywhere host it, producers anywhere write to it, and its items
 * never pass through a main process. This main process writes to it like any
 * producer (a sink), sets its ready flag there, and reads its figures back
 * from it. Consumers of this main process that host it (one, or a pool's
 * members) tell it their phase, so that writers here wait for a consumer
 * that is starting instead of refusing.
 */
export class EngineBackend<T> implements QueueBackend<T> {
  readonly engine: EngineBinding;
  readonly owner: QueueMetrics['owner'] = { kind: 'engine', name: undefined };
  #queue: QueueIdentity;
  #hosts = new Map<string, { phase: Phase; control?: HostedQueueControl }>();
  #userReady = true;
  #refused = 0;
  /** What the main process's writers that ended dropped. */
  #endedWriters = noDrops();
  #reportedSize = 0;
  /** The engine's drops as workers last reported them. */
  #reportedDrops = noDrops();
  #writer: LazyEngineSink | undefined;
  #codec: CodecName = 'auto';
  #stats: EngineQueueStats | undefined;
  #statsAt = 0;
  #refreshing = false;
  /** A ready flag on its way to the engine. */
  #flagging: Promise<void> | undefined;

  constructor(queue: QueueIdentity, engine: EngineBinding) {
    this.#queue = queue;
    this.engine = engine;
  }

  /** The engine counts no items in and out, and no latency. */
  hostReport(): undefined {
    return undefined;
  }

  /** The face one hosting consumer of this main process drives (see HostedQueueBackend). */
  host(workerName: string): HostedQueueBackend {
    const set = (phase: Phase, control?: HostedQueueControl) => {
      const host = this.#hosts.get(workerName);
      this.#hosts.set(workerName, { phase, control: control ?? host?.control });
      this.#writer?.rebind(this.#expectingHost());
      this.#queue.notifyBindingChanged();
    };
    return {
      startRequested: () => {
        if ((this.#hosts.get(workerName)?.phase ?? 'stopped') !== 'stopped') return;
        this.#userReady = true;
        set('starting');
        void this.#transport((transport) => transport.setReady(this.engine, true));
      },
      starting: (control, codec) => {
        this.#codec = codec;
        set('starting', control);
      },
      hosting: () => set('running'),
      draining: () => set('draining'),
      stopped: () => {
        this.#hosts.delete(workerName);
        this.#reportedSize = 0;
        this.#writer?.rebind(this.#expectingHost());
        this.#queue.notifyBindingChanged();
      },
    };
  }

  isReady(): boolean {
    if (!this.#userReady || this.#draining()) return false;
    for (const host of this.#hosts.values()) if (host.phase === 'starting' || host.phase === 'running') return true;
    this.#refresh();
    return this.#stats ? this.#stats.hosted && this.#stats.ready : false;
  }

  setReady(): void {
    this.#setFlag(true);
  }

  setNotReady(): void {
    this.#setFlag(false);
  }

  /** Sets the flag at the engine; puts from this process wait for it, then look at the queue again. */
  #setFlag(ready: boolean): void {
    this.#userReady = ready;
    for (const host of this.#hosts.values()) host.control?.setReady(ready);
    const flagging = this.#transport((transport) => transport.setReady(this.engine, ready)).then(() => {
      this.#writer?.rebind(this.#expectingHost());
      if (this.#flagging === flagging) this.#flagging = undefined;
    });
    this.#flagging = flagging;
  }

  clear(): void {
    for (const host of this.#hosts.values()) host.control?.clear();
    void this.#transport((transport) => transport.clear(this.engine));
  }

  put(item: T): Promise<boolean> {
    const flagging = this.#flagging;
    if (flagging) return flagging.then(() => this.put(item));
    if (!this.#userReady || this.#draining()) {
      this.#refused++;
      return Promise.resolve(false);
    }
    return putWhenWritable(this.#mainWriter(), item);
  }

  get(): Promise<T> {
    return consumedElsewhere(this.#queue.name, 'the consumers that host it');
  }

  /** Items waiting: what the hosts of this main process reported, plus what their engine holds unread. */
  get size(): number {
    this.#refresh();
    return this.#reportedSize + (this.#stats?.size ?? 0);
  }

  get localDrops(): Readonly<DropCounts> {
    const drops = addDrops(noDrops(), this.#endedWriters);
    drops.refused += this.#refused;
    return addDrops(drops, this.#writer?.drops ?? {});
  }

  /** The engine's drops by cause as last seen here or reported by a worker (every process's). */
  get engineDrops(): Readonly<DropCounts> {
    this.#refresh();
    const drops = maxDrops(addDrops(noDrops(), this.#reportedDrops), this.#stats?.drops ?? {});
    return maxDrops(drops, this.#writer?.engineDrops ?? {});
  }

  address(): string | 'pending' | null {
    return this.#expectingHost() ? 'pending' : null;
  }

  reportedSize(size: number): void {
    this.#reportedSize = size;
  }

  /** A worker saw the engine's drops at `drops`. */
  reportedEngineDrops(drops: Readonly<Partial<DropCounts>>): void {
    maxDrops(this.#reportedDrops, drops);
  }

  /**
   * Calls `onEnded` once, when the queue's writers (in any process, on any
   * host) have all ended, at least one having written: the end of a stream
   * that crosses hosts. Returns a function that stops watching.
   */
  watchWritersEnded(onEnded: () => void): () => void {
    let stop: (() => void) | undefined;
    let stopped = false;
    void this.#transport((transport) => {
      if (stopped) return Promise.resolve();
      stop = transport.watchWriters(this.engine, ({ open, ended }) => {
        if (open > 0 || ended === 0 || stopped) return;
        stopped = true;
        stop?.();
        onEnded();
      });
      if (stopped) stop();
      return Promise.resolve();
    });
    return () => {
      stopped = true;
      stop?.();
    };
  }

  /** Pools: the writer connects by itself. */
  connectWriter(): Promise<void> {
    return Promise.resolve();
  }

  /** Ends this process's writer: what it accepted is flushed into the engine. */
  async endWriter(): Promise<void> {
    const writer = this.#writer;
    this.#writer = undefined;
    await writer?.end();
    if (writer) addDrops(this.#endedWriters, writer.drops);
  }

  /** A consumer of this main process drains the queue: it refuses new items, as a consumer's own queue does. */
  #draining(): boolean {
    for (const host of this.#hosts.values()) if (host.phase === 'draining') return true;
    return false;
  }

  #expectingHost(): boolean {
    if (!this.#userReady) return false;
    for (const host of this.#hosts.values()) if (host.phase === 'starting' || host.phase === 'running') return true;
    return false;
  }

  #mainWriter(): LazyEngineSink {
    if (!this.#writer) {
      this.#writer = new LazyEngineSink(this.engine, {
        queueId: this.#queue.id,
        writerName: 'main process',
        lossy: this.#queue.lossy,
        capacity: this.#queue.capacity,
        codec: this.#codec,
      });
      this.#writer.rebind(this.#expectingHost());
    }
    return this.#writer;
  }

  /** Reads the engine's figures again when the last ones are stale (in the background: getters stay synchronous). */
  #refresh(): void {
    if (this.#refreshing || performance.now() - this.#statsAt < STATS_MAX_AGE_MS) return;
    this.#refreshing = true;
    void this.#transport(async (transport) => {
      this.#stats = await transport.stats(this.engine);
      this.#statsAt = performance.now();
    }).finally(() => {
      this.#refreshing = false;
    });
  }

  async #transport(act: (transport: Awaited<ReturnType<typeof loadTransport>>) => Promise<unknown>): Promise<void> {
    try {
      await act(await loadTransport(this.engine));
    } catch (error) {
      // After the process closed its engine connections (it is ending), nothing is worth a warning.
      if ((error as { code?: string }).code !== 'ERR_TRANSPORT_CLOSED') logTransportWarning(`${this.#queue.name}: ${(error as Error).message}`);
    }
  }
}
