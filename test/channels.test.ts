import { types } from 'node:util';
import { Counter, Echo, Gate, Money, Rich } from './fixtures/workers.mjs';
import { collect, nextEvent, whenCount } from './helpers/events.js';

describe('the result channel', () => {
  it('delivers results in order, to onResult, listeners and iterators alike', async () => {
    const seenByOverride: unknown[] = [];
    class Recorder extends Counter {
      override onResult(result: unknown): void {
        seenByOverride.push(result);
        super.onResult(result);
      }
    }
    const producer = new Recorder({ args: { stopAt: 1_000 } });
    const seenByListener = collect<number>(producer, 'result');
    const iterated: number[] = [];
    // Open the iterator before the start: a flat-out producer's first results can arrive with `started`.
    const results = producer.results()[Symbol.asyncIterator]();
    await producer.start();
    for (let next = await results.next(); !next.done; next = await results.next()) iterated.push(next.value as number);
    const expected = Array.from({ length: 1_000 }, (_, index) => index);
    expect(iterated).toEqual(expected);
    expect(seenByListener).toEqual(expected);
    expect(seenByOverride).toEqual(expected);
  });

  it('keeps delivering when a main-process callback throws, and reports the throw', async () => {
    const producer = new Counter({ workTimeout: 1, args: { stopAt: 50 } });
    const results = collect<number>(producer, 'result');
    const errors = collect<Error>(producer, 'error');
    producer.on('result', (result: number) => {
      if (result === 3) throw new Error('listener bug');
    });
    const stopped = nextEvent(producer, 'state', (state) => state === 'stopped');
    await producer.start();
    await stopped;
    expect(results).toEqual(Array.from({ length: 50 }, (_, index) => index));
    await new Promise((resolve) => process.nextTick(resolve));
    expect(errors.map((error) => (error.cause as Error).message)).toEqual(['listener bug']); // a CallbackError: see callbacks.test.ts
  });
});

describe('the message channel', () => {
  it('carries messages both ways while work runs, in order', async () => {
    const echo = new Echo();
    const replies = collect<{ echo: number }>(echo, 'message');
    await echo.start();
    for (let index = 0; index < 100; index++) echo.sendMessage(index);
    await whenCount(echo, 'message', replies, 100);
    expect(replies).toEqual(Array.from({ length: 100 }, (_, index) => ({ echo: index })));
    await echo.stop();
    expect(replies.at(-1)).toBe('stopped');
  });

  it('refuses to send to a stopped worker, with a clear error', () => {
    expect(() => new Echo().sendMessage('hello')).toThrow(/Worker 'Echo' is not running: start\(\) it before sendMessage\(\)/);
  });

  it('refuses to send once a stop was requested, with ERR_WORKER_NOT_RUNNING', async () => {
    const echo = new Echo();
    await echo.start();
    const stopping = echo.stop();
    expect(echo.status).toBe('stopping');
    expect(() => echo.sendMessage('late')).toThrow(expect.objectContaining({ name: 'StateError', code: 'ERR_WORKER_NOT_RUNNING' }));
    expect(() => echo.sendMessage('late')).toThrow(/Worker 'Echo' is stopping: sendMessage\(\) is refused once a stop was requested/);
    await stopping;
  });

  it('sends to a consumer that drains (stopAtQueueEnd): it still works its queue', async () => {
    const gate = new Gate({ workTimeout: 0 });
    const blocked = nextEvent(gate, 'message', (message) => message === 'blocked');
    const results = collect<unknown[]>(gate, 'result');
    await gate.start();
    await gate.getWorkQueue().put('held');
    await blocked;
    const draining = gate.stopAtQueueEnd();
    expect(gate.status).toBe('draining');
    gate.sendMessage('go'); // the drain waits for this batch, which waits for 'go'
    await draining;
    expect(results.flat()).toEqual(['held']);
  });
});

describe('values that superjson handles', () => {
  it('arrive intact as results and messages: Date, Map, Set, BigInt, undefined, registered classes', async () => {
    const rich = new Rich();
    const result = nextEvent<Record<string, unknown>>(rich, 'result');
    const message = nextEvent<Record<string, unknown>>(rich, 'message');
    await rich.start();
    for (const value of [await result, await message]) {
      expect(types.isDate(value.when) && (value.when as Date).getTime()).toBe(1_700_000_000_000);
      expect(types.isMap(value.map) && [...(value.map as Map<string, number>)]).toEqual([['k', 1]]);
      expect(types.isSet(value.set) && [...(value.set as Set<string>)]).toEqual(['a']);
      expect(value.big).toBe(2n ** 70n);
      expect(Object.keys(value)).toContain('missing');
      expect(value.missing).toBeUndefined();
      expect(value.money).toBeInstanceOf(Money);
      expect((value.money as InstanceType<typeof Money>).format()).toBe('EUR 19.99');
    }
    await rich.stop();
  });
});
