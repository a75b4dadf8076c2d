import { producerLoop } from '../../../src/shared/loops/producer-loop.js';
import type { WorkContext, WorkLoopControl } from '../../../src/shared/hooks.js';
import type { WorkerState } from '../../../src/shared/protocol.js';

/** A producer's control with no child around it: it logs what the loop does, in order. */
function fakeControl(workTimeout: number, calls: number) {
  const log: string[] = [];
  let state: WorkerState = 'started';
  const listeners = new Set<() => void>();
  let made = 0;
  const control: WorkLoopControl = {
    ctx: { stop: () => {} } as unknown as WorkContext,
    workTimeout,
    maxBufferSize: 1,
    get state() {
      return state;
    },
    queue: undefined,
    buffered: 0,
    runOnStart: async () => {},
    runWork: () => {
      log.push('work');
      if (++made === calls) {
        state = 'stopped';
        for (const listener of [...listeners]) listener();
      }
      return made;
    },
    publish: () => {
      log.push('publish');
      setImmediate(() => log.push('end of turn'));
    },
    flushSubscribers: () => log.push('flush'),
    reportResult: () => {},
    whenSubscribersWritable: () => {},
    whenStateChanges: () => new Promise(() => {}),
    onStateChange: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    paused: false,
    idleBackoffMs: 0,
    refused: false,
    acknowledge: () => {},
  };
  return { control, log };
}

describe('the producer loop, paced', () => {
  it('sends what each call published before it sleeps, not at the end of the turn', async () => {
    const { control, log } = fakeControl(5, 3);
    await producerLoop(control);
    // The last call stops the worker: no sleep follows it.
    expect(log.filter((entry) => entry !== 'end of turn')).toEqual(['work', 'publish', 'flush', 'work', 'publish', 'flush', 'work', 'publish']);
    const firstFlush = log.indexOf('flush');
    const firstTurnEnd = log.indexOf('end of turn');
    expect(firstFlush).toBeLessThan(firstTurnEnd);
  });
});
