import { WorkerError, type WorkerPhase } from '@prodcon/core';
import { Counter, Failing, Gate } from './fixtures/workers.mjs';
import { collect, nextEvent } from './helpers/events.js';

async function failure(args: Record<string, unknown>): Promise<{ error: WorkerError; messages: unknown[]; failing: Failing }> {
  const failing = new Failing({ name: 'sensor-7', args });
  const messages = collect<unknown>(failing, 'message');
  const errored = nextEvent<WorkerError>(failing, 'error');
  const stopped = nextEvent(failing, 'state', (state) => state === 'stopped');
  await failing.start();
  const error = await errored;
  await stopped;
  return { error, messages, failing };
}

describe('errors in the child', () => {
  it('onStart: start() rejects with a WorkerError carrying the child stack, phase and name', async () => {
    const failing = new Failing({ name: 'sensor-7', args: { failIn: 'onStart' } });
    const error: WorkerError = await failing.start().then(
      () => {
        throw new Error('start() should have rejected');
      },
      (thrown: WorkerError) => thrown,
    );
    expect(error).toBeInstanceOf(WorkerError);
    expect(error.code).toBe('ERR_WORKER_FAILED');
    expect(error.phase).toBe<WorkerPhase>('onStart');
    expect(error.worker).toBe('sensor-7');
    expect(error.message).toBe("Worker 'sensor-7' failed in onStart: TypeError: onStart exploded");
    expect(error.stack).toMatch(/fixtures\/workers\.mjs/); // the child's frames
    expect((error.cause as Error).name).toBe('TypeError');
    expect(failing.getState()).toBe('stopped');
  });

  it('work: an error event with the child stack; onStop still runs; stopped', async () => {
    const { error, messages, failing } = await failure({ failIn: 'work', atCall: 3 });
    expect(error.code).toBe('ERR_WORKER_FAILED');
    expect(error.phase).toBe('work');
    expect(error.message).toBe("Worker 'sensor-7' failed in work: RangeError: work exploded on call 3");
    expect(error.stack).toMatch(/at Failing\.work .*fixtures\/workers\.mjs/);
    expect(messages).toEqual(['onStop ran']);
    expect(failing.getState()).toBe('stopped');
  });

  it('onStop: reported with its phase', async () => {
    const failing = new Failing({ name: 'sensor-7', args: { failIn: 'onStop' } });
    const errored = nextEvent<WorkerError>(failing, 'error');
    await failing.start();
    await failing.stop();
    const error = await errored;
    expect(error.phase).toBe('onStop');
    expect(error.message).toMatch(/failed in onStop: onStop exploded/);
  });

  it.each([
    ['process.exit', 'exit', /exited with code 3/],
    ['a SIGKILL', 'kill', /was killed by SIGKILL/],
  ])('a child that dies (%s) becomes a WorkerError in phase exit', async (_label, how, pattern) => {
    const { error } = await failure({ failIn: 'work', how, atCall: 2 });
    expect(error.code).toBe('ERR_WORKER_EXITED');
    expect(error.phase).toBe('exit');
    expect(error.worker).toBe('sensor-7');
    expect(error.message).toMatch(pattern);
  });

  it("a failing consumer's queue stops accepting", async () => {
    class Breaking extends Gate {}
    const consumer = new Breaking({ workTimeout: 0 });
    const errored = nextEvent<WorkerError>(consumer, 'error');
    const blocked = nextEvent(consumer, 'message');
    await consumer.start();
    const queue = consumer.getWorkQueue();
    await queue.put('first');
    await blocked;
    process.kill(consumer.pid!, 'SIGKILL');
    const error = await errored;
    expect(error.phase).toBe('exit');
    expect(consumer.getState()).toBe('stopped');
    expect(queue.isReady()).toBe(false);
    expect(await queue.put('refused')).toBe(false);
  });

  it('rejects a results() iterator with the error instead of throwing it globally', async () => {
    const failing = new Failing({ args: { failIn: 'work', atCall: 3 } });
    await failing.start();
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const result of failing.results()) seen.push(result);
      })(),
    ).rejects.toThrow(/work exploded on call 3/);
    expect(seen.length).toBeLessThanOrEqual(2);
  });
});


describe('a producer stopping itself', () => {
  it('goes to stopped on its own, with no error', async () => {
    const counter = new Counter({ args: { stopAt: 10 } });
    const errors = collect(counter, 'error');
    const states = collect<string>(counter, 'state');
    const stopped = nextEvent(counter, 'state', (state) => state === 'stopped');
    await counter.start();
    await stopped;
    expect(states).toEqual(['started', 'stopped']);
    expect(errors).toEqual([]);
  });
});
