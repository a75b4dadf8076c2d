import { producerLoop } from '../../../src/shared/loops/producer-loop.js';
import type { WorkContext } from '../../../src/shared/hooks.js';
import { fakeLoopControl } from './fake-control.js';

/** A producer's control with no child around it: it logs what the loop does, in order; the last call stops it. */
function loggingControl(workTimeout: number, calls: number) {
  const log: string[] = [];
  let made = 0;
  const fake = fakeLoopControl({
    ctx: { stop: () => {} } as unknown as WorkContext,
    workTimeout,
    runWork: () => {
      log.push('work');
      if (++made === calls) fake.setState('stopped');
      return made;
    },
    publish: () => {
      log.push('publish');
      setImmediate(() => log.push('end of turn'));
    },
    flushSubscribers: () => log.push('flush'),
  });
  return { control: fake.control, log };
}

describe('the producer loop, paced', () => {
  it('sends what each call published before it sleeps, not at the end of the turn', async () => {
    const { control, log } = loggingControl(5, 3);
    await producerLoop(control);
    // The last call stops the worker: no sleep follows it.
    expect(log.filter((entry) => entry !== 'end of turn')).toEqual(['work', 'publish', 'flush', 'work', 'publish', 'flush', 'work', 'publish']);
    const firstFlush = log.indexOf('flush');
    const firstTurnEnd = log.indexOf('end of turn');
    expect(firstFlush).toBeLessThan(firstTurnEnd);
  });
});
