import { Signal } from '@prodcon/ipc';
import type { WorkContext, WorkLoopControl, WorkerState } from '../../../src/shared/hooks.js';

/**
 * A loop's control with no child around it: harmless defaults for every
 * member, `overrides` for what a test looks at. `setState` changes the state
 * and tells the loop, as the child's RunState does.
 */
export function fakeLoopControl(overrides: Partial<WorkLoopControl>) {
  let state: WorkerState = 'started';
  const changed = new Signal();
  const listeners = new Set<() => void>();
  const control: WorkLoopControl = {
    ctx: {} as WorkContext,
    workTimeout: 0,
    maxBufferSize: 1,
    get state() {
      return state;
    },
    queue: undefined,
    buffered: 0,
    runOnStart: async () => {},
    runWork: () => undefined,
    publish: () => {},
    flushSubscribers: () => {},
    reportResult: () => {},
    whenSubscribersWritable: () => {},
    whenStateChanges: () => changed.wait(),
    onStateChange: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    paused: false,
    idleBackoffMs: 0,
    refused: false,
    acknowledge: () => {},
    ...overrides,
  };
  const setState = (next: WorkerState) => {
    state = next;
    changed.notify();
    for (const listener of [...listeners]) listener();
  };
  return { control, setState };
}
