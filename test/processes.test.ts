import { execaNode } from 'execa';
import { fileURLToPath } from 'node:url';
import { lines } from './helpers/lines.js';
import { liveWorkers, waitUntilDead, processState } from './helpers/processes.js';

const mains = (name: string) => fileURLToPath(new URL(`./fixtures/mains/${name}`, import.meta.url));

describe('child output', () => {
  it("appears in the parent's output as it happens, prefixed by the worker name", async () => {
    const main = execaNode(mains('talk.mjs'), ['prefix'], { stdin: 'pipe', buffer: false, reject: false });
    const output = lines(main.stdout!);
    await output.waitFor(/^main: started$/);
    const first = await output.waitFor(/^\[talker\] hello \d+$/);
    await output.waitFor(/^\[talker\] hello \d+$/, 2); // a second line while the worker still runs
    const printedAt = Number(first.split(' ').pop());
    expect(Date.now() - printedAt).toBeLessThan(5000);
    main.stdin!.end('stop\n');
    await main;
    const helloLines = output.seen.filter((line) => line.includes('hello'));
    expect(helloLines.length).toBeGreaterThanOrEqual(2);
    expect(output.seen.indexOf('main: stopped')).toBeGreaterThan(output.seen.indexOf(helloLines[0]!));
  });

  it('can be inherited as is', async () => {
    const main = execaNode(mains('talk.mjs'), ['inherit'], { stdin: 'pipe', buffer: false, reject: false });
    const output = lines(main.stdout!);
    await output.waitFor(/^hello \d+$/);
    main.stdin!.end('stop\n');
    await main;
  });
});

describe('no process is left behind', () => {
  it('when the main process exits normally (process.exit) without stopping its workers', async () => {
    const main = execaNode(mains('orphan.mjs'), ['exit'], { reject: false });
    const result = await main;
    const { pids } = JSON.parse(String(result.stdout).split('\n').find((line) => line.startsWith('{'))!);
    await waitUntilDead(pids, 5000);
  });

  it('when the main process is killed with SIGKILL (children exit when their channel closes)', async () => {
    const main = execaNode(mains('orphan.mjs'), [], { buffer: false, reject: false });
    const output = lines(main.stdout!);
    const { pids } = JSON.parse(await output.waitFor(/^\{/));
    for (const pid of pids) expect(processState(pid)).toMatch(/^[RS]/);
    // The leak checks see this run's workers (they carry its marker), even those of another main process.
    expect(liveWorkers().map((worker) => worker.pid)).toEqual(expect.arrayContaining(pids));
    main.kill('SIGKILL');
    await main;
    await waitUntilDead(pids, 8000);
  });

  it("does not count another application's workers as this run's", async () => {
    // Another prodcon application (or another clone's test run) on the same machine: its workers are not ours.
    const main = execaNode(mains('orphan.mjs'), [], { buffer: false, reject: false, env: { PRODCON_TEST_RUN: 'another-run' } });
    const output = lines(main.stdout!);
    const { pids } = JSON.parse(await output.waitFor(/^\{/));
    for (const pid of pids) expect(processState(pid)).toMatch(/^[RS]/);
    expect(liveWorkers().map((worker) => worker.pid)).not.toEqual(expect.arrayContaining([pids[0]]));
    main.kill('SIGKILL');
    await main;
    await waitUntilDead(pids, 8000);
  });

  it('when a worker fails and nobody listens: the main process crashes loudly and leaves no child', async () => {
    const main = execaNode(mains('unlistened.mjs'), [], { reject: false, timeout: 20_000 });
    const result = await main;
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr)).toMatch(/WorkerError \[ERR_WORKER_FAILED\]: Worker 'unwatched' failed in work: RangeError: work exploded on call 2/);
    const pid = Number(/child (\d+)/.exec(String(result.stdout))![1]);
    await waitUntilDead([pid], 5000);
  });

  it('after all the tests above', () => {
    expect(liveWorkers()).toEqual([]);
  });
});
