/**
 * The link between the main process and one worker child: the only module
 * both sides import to talk to each other.
 *
 * The child connects to the main process's socket and says `hello` with the
 * token it was started with. Then:
 *
 *   main                                          child
 *    | -- init [WorkerSpec] ----------------------> |  load module, host queue, onStart
 *    | <------------------------ control hosting -- |  (consumer) its queue's socket
 *    | <------------------------ control started -- |  onStart returned
 *    | <-- results [values] / messages [values] --> |  batched, in order
 *    | -- control stop | stopAtQueueEnd ----------> |
 *    | <---------------- control failed {phase} ---- |  a hook threw
 *    | <------------------------ control stopped -- |  onStop ran, all sent; then the child ends the link and exits
 *
 * Control messages are small JSON documents; init, results and messages are
 * data frames in the worker's codec.
 */
import type { CodecName, DropCounts, EngineBinding, EngineNewsCode, PoolMemberAddress } from '@prodcon/ipc';
import type { SerializedError, WorkerPhase } from './errors.js';
import type { LogLevel } from './logger.js';
import type { ChildReport, HostReport } from './report-types.js';

/** Frame types on the link (queue connections use 0x01-0x0f, see @prodcon/ipc). */
export const LinkFrame = {
  hello: 0x20,
  control: 0x21,
  init: 0x22,
  results: 0x23,
  messages: 0x24,
  /** What onStop returned (a pool collects them as its results). */
  final: 0x25,
  /** The batch a consumer was working when it failed (sent just before `failed`). */
  failedBatch: 0x26,
} as const;

/** Environment variables through which the main process tells a child where to connect. */
export const LINK_ENV = {
  path: 'PRODCON_LINK',
  token: 'PRODCON_TOKEN',
} as const;

/** What a worker is: a producer (its `work` makes items) or a consumer (its `work` takes batches). */
export type WorkerKind = 'producer' | 'consumer';
/**
 * A worker's public state: `started` (starting, running, or stopping from a run), `stopAtQueueEnd`
 * (draining), `stopped` (nothing of it left).
 */
export type WorkerState = 'stopped' | 'started' | 'stopAtQueueEnd';

/** Where a queue can be written to, as the main process tells a writer. */
export interface QueueBinding {
  queueId: string;
  lossy: boolean;
  capacity: number;
  /**
   * The host's socket; `pending` while the consuming worker is starting
   * (lossless writers wait, lossy ones buffer); null when nobody hosts it
   * (puts are refused and counted as dropped).
   */
  address: string | 'pending' | null;
  /**
   * Set for the queue of a ConsumerPool: each item goes to exactly one of
   * these members (and `address` is unused).
   */
  members?: PoolMemberAddress[];
  /**
   * Set for a queue kept by an engine (Redis): writers reach it there, and
   * `address` is only a hint (`pending`: a consumer of this main process is
   * starting to host it, so wait for it instead of refusing).
   */
  engine?: EngineBinding;
}

/** The queue a consumer child hosts. */
export interface HostedQueueSpec {
  queueId: string;
  capacity: number;
  lossy: boolean;
  /** Socket path the child listens on. */
  address: string;
  ready: boolean;
  /** Pool members acknowledge items once consumed, so that writers can deliver them elsewhere if it dies. */
  acknowledge: boolean;
  /** Set for a queue kept by an engine: the child hosts it there instead of on `address`. */
  engine?: EngineBinding;
}

/** Everything a child needs to run one worker. */
export interface WorkerSpec {
  kind: WorkerKind;
  name: string;
  moduleUrl: string;
  /** The class has no static moduleUrl: `moduleUrl` is the main script (error messages advise differently). */
  moduleIsMainScript: boolean;
  className: string;
  args: unknown;
  codec: CodecName;
  /** How long the child's writers keep trying to reach a queue's host that refuses them (ms; WorkerOptions.connectTimeout). */
  connectTimeout: number;
  workTimeout: number;
  maxBufferSize: number;
  /** Producers: the longest sleep between `work` calls that produce nothing with workTimeout 0 (0: spin). */
  idleBackoffMs: number;
  subscribers: QueueBinding[];
  queue?: HostedQueueSpec;
  wantResults: boolean;
  /** Metrics are on: time `work` calls and report resource use (see ParentControl `metrics`). */
  metrics?: boolean;
  /** Producers: the `total` option (what `static total(ctx)`, if defined, replaces). */
  total?: number;
  /** The main process has a logger object: forward diagnostics to it (`log` messages). */
  log?: boolean;
}

export interface HelloMessage {
  token: string;
  pid: number;
}

/** Counters of one queue as seen by one process (cumulative for this run of the worker). */
export interface QueueStats {
  queueId: string;
  /** Reported by the host: items waiting. */
  size?: number;
  /** Items this process dropped or refused for this queue, by cause (cumulative for the run). */
  drops: Partial<DropCounts>;
  /** Reported by the host: items in and out, and the latency of its frames. */
  host?: HostReport;
  /** Engine queues: the engine's drops by cause as this process last saw them (every process's). */
  engineDrops?: Partial<DropCounts>;
}

export type ParentControl =
  | { type: 'stop' }
  | { type: 'stopAtQueueEnd' }
  | { type: 'wantResults'; on: boolean }
  /** Metrics were switched on or off (a 'metrics' listener came or went). */
  | { type: 'metrics'; on: boolean }
  | { type: 'subscribers'; queues: QueueBinding[] }
  | { type: 'queueReady'; ready: boolean }
  | { type: 'clearQueue' }
  /** A producer steered at runtime: its period, and whether `work` is paused. */
  | { type: 'steer'; workTimeout?: number; paused?: boolean };

export type ChildControl =
  | { type: 'hosting'; queueId: string; address: string }
  | { type: 'started' }
  /**
   * The child entered a phase the main process cannot infer (`started`
   * already says that work began): onStop, then prodcon's own end of the run
   * once the hooks returned (`flushing` its writers, `closing` its queue and
   * link). Lets a kill after a stop timeout name where the child was stuck,
   * and not blame a hook that had returned.
   */
  | { type: 'phase'; phase: 'onStop' | 'flushing' | 'closing' }
  | { type: 'failed'; phase: WorkerPhase; error: SerializedError }
  /** The worker stopped itself (ctx.stop() or END): the main process shows a stop in progress. */
  | { type: 'stopping'; reason: 'self' }
  /** The stats path: every 250 ms while something changed (queue counters, and the worker's own). */
  | { type: 'queueStats'; stats: QueueStats[]; worker?: ChildReport }
  /** A diagnostic, for the main process's logger (only when it has one: WorkerSpec.log). */
  | { type: 'log'; level: LogLevel; message: string; fields: object }
  /** The worker changed its own period (`ctx.setWorkTimeout`). */
  | { type: 'steered'; workTimeout: number }
  /**
   * News of an engine queue this child follows (a queue it hosts or writes
   * to): `ERR_TRANSPORT_RESET` or `ERR_HOST_LOST`. Not a failure: the worker
   * goes on; the main process tells it as the worker's 'error' event.
   */
  | { type: 'engineNews'; code: EngineNewsCode; error: SerializedError }
  | { type: 'stopped' };
