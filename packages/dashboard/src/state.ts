/*
 * What the server sends the page: every unit of the process with its
 * metrics, identified by ids the dashboard gives them (names need not be
 * unique), and the links between them. Plain JSON.
 */
import type { PipelineProgress, PoolMetrics, QueueMetrics, WorkerMetrics } from '@prodcon/core';

/** A worker as the page shows it. */
export interface WorkerView {
  id: string;
  /** Producers can be paused; consumers drained (stopAtQueueEnd). */
  metrics: WorkerMetrics;
  /** Whether `work` is paused (producers). */
  paused: boolean;
  /** The ids of the queues it writes into. */
  writesTo: string[];
  /** The id of the queue it consumes (consumers). */
  reads: string | undefined;
  /** The pool it belongs to, if any. */
  pool: string | undefined;
}

/** A queue as the page shows it. */
export interface QueueView {
  id: string;
  metrics: QueueMetrics;
  /** A pool member's own queue: shown inside its pool, not as a node. */
  member: boolean;
}

/** A pool as the page shows it. */
export interface PoolView {
  id: string;
  metrics: Omit<PoolMetrics, 'members'>;
  members: string[];
  reads: string;
}

/** A pipeline as the page shows it: its stages' unit ids, left to right. */
export interface PipelineView {
  id: string;
  stages: string[][];
  progress: PipelineProgress;
}

/** Everything the page shows, at one moment. */
export interface DashboardState {
  /** When (ms since the epoch). */
  at: number;
  workers: WorkerView[];
  queues: QueueView[];
  pools: PoolView[];
  pipelines: PipelineView[];
}
