import { Outbox } from '@prodcon/ipc';
import { HookFailure, LoopControl } from '../../src/child/control.js';
import type { ChildLink } from '../../src/child/link.js';
import type { WorkerClassShape } from '../../src/child/load-module.js';
import { RunState } from '../../src/child/run-state.js';
import { SubscriberSet } from '../../src/child/subscribers.js';
import type { WorkContext } from '../../src/shared/hooks.js';
import type { ChildControl, WorkerSpec } from '../../src/shared/protocol.js';

const spec = { name: 'w', codec: 'auto', workTimeout: 7, maxBufferSize: 3, wantResults: true } as WorkerSpec;

/** The link as the control uses it: control messages recorded, results into an unattached outbox. */
function fakeLink() {
  const sent: ChildControl[] = [];
  const finals: unknown[] = [];
  const link = {
    closed: false,
    results: new Outbox(undefined, { frameType: 0x23, label: 'result' }),
    send: (message: ChildControl) => sent.push(message),
    sendFinal: (value: unknown) => {
      finals.push(value);
      return Promise.resolve();
    },
  };
  return { link: link as unknown as ChildLink, sent, finals, results: link.results };
}

function control(workerClass: Partial<WorkerClassShape>) {
  const { link, sent, finals, results } = fakeLink();
  const ctx = { args: undefined, startResult: undefined } as WorkContext;
  const state = new RunState();
  const loop = new LoopControl(spec, ctx, state, new SubscriberSet('producer w', 'auto', 30_000, () => {}), link);
  loop.workerClass = { name: 'W', onStart: () => undefined, onStop: () => undefined, work: () => undefined, workLoop: () => {}, ...workerClass };
  return { loop, ctx, state, sent, finals, results };
}

describe('the loop control of a child', () => {
  it('stores what onStart returned and tells the main process', async () => {
    const { loop, ctx, sent } = control({ onStart: () => ({ next: 1 }) });
    await loop.runOnStart();
    expect(ctx.startResult).toEqual({ next: 1 });
    expect(loop.onStartDone).toBe(true);
    expect(sent).toEqual([{ type: 'started' }]);
  });

  it('tags a throwing onStart with its phase and does not announce a start', async () => {
    const { loop, sent } = control({ onStart: () => Promise.reject(new Error('no')) });
    const failure = await loop.runOnStart().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HookFailure);
    expect(failure).toMatchObject({ phase: 'onStart' });
    expect(loop.onStartDone).toBe(false);
    expect(sent).toEqual([]);
  });

  it('tags a work failure, synchronous or not, with the batch it was working', async () => {
    const sync = control({ work: () => {
      throw new Error('sync');
    } });
    expect(() => sync.loop.runWork([1, 2])).toThrow(HookFailure);
    try {
      sync.loop.runWork([1, 2]);
    } catch (error) {
      expect(error).toMatchObject({ phase: 'work', batch: [1, 2] });
    }
    const async = control({ work: () => Promise.reject(new Error('async')) });
    await expect(async.loop.runWork([3])).rejects.toMatchObject({ phase: 'work', batch: [3] });
  });

  it('calls a producer work with ctx only, and a consumer work with the batch first', () => {
    const calls: unknown[][] = [];
    const { loop, ctx } = control({ work: (...args: unknown[]) => calls.push(args) });
    loop.runWork();
    loop.runWork(['a']);
    expect(calls).toEqual([[ctx], [['a'], ctx]]);
  });

  it('sends results only while the main process wants them, and never undefined', () => {
    const { loop, results } = control({});
    loop.reportResult(undefined);
    expect(results.pending).toBe(0);
    loop.reportResult(1);
    expect(results.pending).toBe(1);
    loop.wantResults = false;
    loop.reportResult(2);
    expect(results.pending).toBe(1);
  });

  it('makes the loop wait once 10,000 results are waiting to be written', () => {
    const { loop } = control({});
    for (let index = 0; index < 10_000; index++) expect(loop.reportResult(index)).toBeUndefined();
    expect(loop.reportResult(10_000)).toBeInstanceOf(Promise);
  });

  it('refuses a result that cannot cross, as a work failure', () => {
    const { loop } = control({});
    expect(() => loop.reportResult({ callback: () => {} })).toThrow(HookFailure);
  });

  it('sends what onStop returned, and tags its failure', async () => {
    const ok = control({ onStop: () => 'bye' });
    await ok.loop.runOnStop();
    expect(ok.finals).toEqual(['bye']);
    const failing = control({ onStop: () => {
      throw new Error('stop');
    } });
    await expect(failing.loop.runOnStop()).rejects.toMatchObject({ phase: 'onStop' });
  });

  it('shows the run state and its changes', async () => {
    const { loop, state } = control({});
    expect(loop.state).toBe('started');
    expect(loop.workTimeout).toBe(7);
    expect(loop.maxBufferSize).toBe(3);
    const changed = loop.whenStateChanges();
    state.stop();
    await changed;
    expect(loop.state).toBe('stopped');
  });
});
