import { execaNode } from 'execa';
import { fileURLToPath } from 'node:url';
import { CallbackError } from '@prodcon/core';
import { Counter } from './fixtures/workers.mjs';
import { collect, nextEvent } from './helpers/events.js';
import { liveWorkers } from './helpers/processes.js';

/*
 * Issue 9, defect 10: main-process callbacks (onResult, onMessage, listeners)
 * that throw or reject are 'error' events naming the worker and the callback;
 * an async one that rejects used to end the main process (exit 1) even with an
 * 'error' listener. The scenario runs in a main script of its own, so that
 * such a crash shows as its exit code.
 */

const script = fileURLToPath(new URL('./fixtures/mains/failing-callbacks.mjs', import.meta.url));

interface Reported {
  unit: string;
  name: string;
  code: string;
  worker: string;
  callback: string;
  cause: string;
  message: string;
}

describe('main-process callbacks that fail', () => {
  let lines: Array<Record<string, unknown>>;
  let reported: Reported[];

  beforeAll(async () => {
    const result = await execaNode(script, [], { reject: false, timeout: 60_000 });
    expect({ exitCode: result.exitCode, stderr: result.stderr }).toEqual({ exitCode: 0, stderr: '' });
    lines = String(result.stdout)
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    reported = lines.filter((line) => 'unit' in line) as unknown as Reported[];
  }, 90_000);

  afterAll(() => {
    expect(liveWorkers()).toEqual([]);
  });

  const of = (unit: string) => reported.filter((entry) => entry.unit === unit);

  it('report an async onResult that rejects as a CallbackError naming the worker and the callback; delivery goes on', () => {
    expect(of('asyncResults')).toEqual([
      {
        unit: 'asyncResults',
        name: 'CallbackError',
        code: 'ERR_CALLBACK_FAILED',
        worker: 'asyncResults',
        callback: 'onResult',
        cause: 'async onResult broke',
        message: "Worker 'asyncResults': its onResult failed in the main process: async onResult broke",
      },
    ]);
  });

  it("report an async 'result' listener that rejects; the other results still arrive", () => {
    expect(of('resultListener').map(({ worker, callback, cause }) => ({ worker, callback, cause }))).toEqual([
      { worker: 'resultListener', callback: "'result' listener", cause: "async 'result' listener broke" },
    ]);
    expect(lines).toContainEqual({ resultsAfterTheFailure: 10 });
  });

  it('report onMessage, async or not, and async message listeners, naming the worker', () => {
    const summary = (unit: string) => of(unit).map(({ worker, callback, cause }) => [worker, callback, cause]);
    expect(summary('asyncMessages')).toEqual([
      ['asyncMessages', 'onMessage', 'async onMessage broke on {"echo":1}'],
      ['asyncMessages', 'onMessage', 'async onMessage broke on "stopped"'],
    ]);
    expect(summary('syncMessages')).toEqual([
      ['syncMessages', 'onMessage', 'sync onMessage broke on {"echo":1}'],
      ['syncMessages', 'onMessage', 'sync onMessage broke on "stopped"'],
    ]);
    expect(of('syncMessages')[0]!.message).toBe(`Worker 'syncMessages': its onMessage failed in the main process: sync onMessage broke on {"echo":1}`);
    expect(summary('messageListener')).toEqual([
      ['messageListener', "'message' listener", 'async \'message\' listener broke on {"echo":1}'],
      ['messageListener', "'message' listener", 'async \'message\' listener broke on "stopped"'],
    ]);
  });

  it("re-emit a pool member's callback failure on the pool, and report the pool's own listeners; the pool goes on", () => {
    const pool = of('pool').map(({ worker, callback }) => `${worker} ${callback}`).sort();
    // Three items: each result failed in its member's onResult, then in the pool's 'result' listener.
    expect(pool.filter((entry) => entry === "pool 'result' listener")).toHaveLength(3);
    expect(pool.filter((entry) => /^pool-[12] onResult$/.test(entry))).toHaveLength(3);
    expect(pool).toHaveLength(6);
    expect(lines).toContainEqual({ poolState: 'stopped', poolCounted: 3 });
  });

  it("report a pipeline's async listener and a stage's listener on the pipeline, which finishes all the same", () => {
    const pipeline = of('pipeline').map(({ worker, callback }) => `${worker}: ${callback}`);
    expect(pipeline).toContain("numbers → doubler: 'progress' listener");
    expect(pipeline.filter((entry) => entry === "doubler: 'result' listener")).toHaveLength(3);
    expect(lines).toContainEqual({ pipelineDone: true, pipelineErrors: 0 });
  });
});

describe('a main-process callback that throws, in this process', () => {
  it('is an error event with a CallbackError naming the worker; the results keep coming', async () => {
    const producer = new Counter({ name: 'counting', workTimeout: 1, args: { stopAt: 50 } });
    const results = collect<number>(producer, 'result');
    const thrown = new Error('listener bug');
    producer.on('result', (result: number) => {
      if (result === 3) throw thrown;
    });
    const reported = nextEvent<CallbackError>(producer, 'error');
    const stopped = nextEvent(producer, 'state', (state) => state === 'stopped');
    await producer.start();
    await stopped;
    expect(results).toEqual(Array.from({ length: 50 }, (_, index) => index));
    const error = await reported;
    expect(error).toBeInstanceOf(CallbackError);
    expect(error).toMatchObject({ code: 'ERR_CALLBACK_FAILED', worker: 'counting', callback: "'result' listener", cause: thrown });
    expect(error.message).toBe("Worker 'counting': its 'result' listener failed in the main process: listener bug");
  });
});
