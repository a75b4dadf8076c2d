import type { LifecycleStateName } from '../parent/lifecycle.js';
import type { WorkerState } from '../shared/protocol.js';

/** The detailed state of a worker: its lifecycle machine's state, or `paused` (a running producer whose `work` is paused). */
export type WorkerStatus = LifecycleStateName | 'paused';

/** The events of a worker, with their arguments. */
export interface WorkerEvents<TResult> {
  result: [result: TResult];
  message: [message: unknown];
  state: [state: WorkerState];
  error: [error: Error];
  newListener: [event: string | symbol, listener: (...args: any[]) => void];
  removeListener: [event: string | symbol, listener: (...args: any[]) => void];
}
