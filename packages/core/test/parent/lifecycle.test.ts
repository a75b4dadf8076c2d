import { lifecycleMachine, publicState, pureTransitions, type LifecycleEvent } from '../../src/parent/lifecycle.js';

const { initialTransition, transition } = pureTransitions();

/** Steps the pure machine through events; returns each public state and the actions each step asked for. */
function walk(events: LifecycleEvent['type'][]) {
  const machine = lifecycleMachine();
  let [snapshot] = initialTransition(machine);
  const steps: Array<{ value: unknown; shown: string; actions: string[] }> = [];
  for (const type of events) {
    const [next, actions] = transition(machine, snapshot, { type } as LifecycleEvent);
    snapshot = next;
    steps.push({ value: next.value, shown: publicState(next), actions: actions.map((action) => action.type) });
  }
  return steps;
}

describe('the lifecycle machine (pure, no process)', () => {
  it('starts stopped', () => {
    const [snapshot] = initialTransition(lifecycleMachine());
    expect(snapshot.value).toBe('stopped');
    expect(publicState(snapshot)).toBe('stopped');
  });

  it('start → started (launching the child), stop → stopped once the child exited', () => {
    expect(walk(['START', 'STARTED', 'STOP', 'EXITED'])).toEqual([
      { value: 'starting', shown: 'started', actions: ['launch'] },
      { value: 'running', shown: 'started', actions: [] },
      { value: 'stopping', shown: 'started', actions: ['requestStop'] },
      { value: 'stopped', shown: 'stopped', actions: [] },
    ]);
  });

  it('stopAtQueueEnd → stopAtQueueEnd (asking the child to drain) → stopped', () => {
    expect(walk(['START', 'STARTED', 'STOP_AT_QUEUE_END', 'EXITED']).map((step) => [step.shown, step.actions])).toEqual([
      ['started', ['launch']],
      ['started', []],
      ['stopAtQueueEnd', ['requestDrain']],
      ['stopped', []],
    ]);
  });

  it('a stop during a drain keeps showing stopAtQueueEnd until the child is gone', () => {
    const steps = walk(['START', 'STARTED', 'STOP_AT_QUEUE_END', 'STOP', 'EXITED']);
    expect(steps.slice(2).map((step) => [step.value, step.shown])).toEqual([
      ['draining', 'stopAtQueueEnd'],
      ['stoppingDrain', 'stopAtQueueEnd'],
      ['stopped', 'stopped'],
    ]);
  });

  it('ignores stop and drain requests while stopped, and a second start while running', () => {
    const steps = walk(['STOP', 'STOP_AT_QUEUE_END', 'START', 'STARTED', 'START']);
    expect(steps.map((step) => step.value)).toEqual(['stopped', 'stopped', 'starting', 'running', 'running']);
    expect(steps[4]!.actions).toEqual([]);
  });

  it('a child that dies or stops itself ends in stopped', () => {
    expect(walk(['START', 'STARTED', 'EXITED']).at(-1)!.value).toBe('stopped');
    expect(walk(['START', 'EXITED']).at(-1)!.value).toBe('stopped');
    expect(walk(['START', 'STARTED', 'SELF_STOP', 'EXITED']).map((step) => step.value)).toEqual([
      'starting',
      'running',
      'stopping',
      'stopped',
    ]);
  });
});
