import type { CodecName } from '@prodcon/ipc';
import type { QueueBinding, WorkerKind, WorkerSpec } from '../shared/protocol.js';
import { childClass, workerModuleUrl, type WorkerClassLike } from './child-class.js';

/** The parts of a spec that depend on the kind of worker. */
export type KindFields = Pick<WorkerSpec, 'workTimeout' | 'maxBufferSize' | 'idleBackoffMs' | 'queue' | 'total'>;

/** What a worker contributes to its child's spec. */
export interface SpecSource {
  kind: WorkerKind;
  name: string;
  workerClass: WorkerClassLike;
  args: unknown;
  codec: CodecName | undefined;
  /** See WorkerOptions.connectTimeout. */
  connectTimeout: number;
  kindFields: KindFields;
  subscribers: QueueBinding[];
  wantResults: boolean;
  /** Metrics are on (a 'metrics' listener or interval). */
  metrics: boolean;
  /** The main process has a logger object. */
  log: boolean;
}

/** Everything a child needs to run one worker, from what the worker holds. */
export function buildSpec(source: SpecSource): WorkerSpec {
  const constructor = childClass(source.workerClass);
  return {
    kind: source.kind,
    name: source.name,
    moduleUrl: workerModuleUrl(source.name, constructor.moduleUrl),
    moduleIsMainScript: constructor.moduleUrl === undefined,
    className: constructor.name,
    args: source.args,
    codec: source.codec ?? 'auto',
    connectTimeout: source.connectTimeout,
    ...source.kindFields,
    subscribers: source.subscribers,
    wantResults: source.wantResults,
    metrics: source.metrics,
    log: source.log,
  };
}
