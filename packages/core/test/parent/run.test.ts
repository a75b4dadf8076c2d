import { jest } from '@jest/globals';
import type { LifecycleStateName } from '../../src/parent/lifecycle.js';
import type { LinkEnd, ParentLinkEvents } from '../../src/parent/parent-link.js';
import { WorkerRun, type RunLink, type RunOwner } from '../../src/parent/run.js';
import { WorkerError, serializeError } from '../../src/shared/errors.js';
import type { ChildControl, WorkerSpec } from '../../src/shared/protocol.js';

const spec: WorkerSpec = {
  kind: 'consumer',
  name: 'sink',
  moduleUrl: 'file:///nowhere.mjs',
  moduleIsMainScript: false,
  className: 'Sink',
  args: undefined,
  codec: 'auto',
  connectTimeout: 30_000,
  workTimeout: 0,
  maxBufferSize: 1,
  idleBackoffMs: 0,
  subscribers: [],
  wantResults: false,
};

/** A stand-in for the child: the test plays its control messages and its exit. */
class FakeLink implements RunLink {
  readonly id = 'fake';
  readonly pid = 4242;
  killed = false;
  readonly sent: unknown[] = [];
  events!: ParentLinkEvents;
  #end!: (end: LinkEnd) => void;
  readonly ended = new Promise<LinkEnd>((resolve) => (this.#end = resolve));
  launch(): Promise<void> {
    return Promise.resolve();
  }
  send(message: unknown): void {
    this.sent.push(message);
  }
  sendMessage(message: unknown): void {
    this.sent.push({ message });
  }
  pauseReading(): void {}
  resumeReading(): void {}
  kill(): void {
    this.killed = true;
    this.exit({ exitCode: undefined, signal: 'SIGKILL', linked: true });
  }
  control(message: ChildControl): void {
    this.events.onControl(message);
  }
  exit(end: LinkEnd): void {
    this.#end(end);
  }
}

/** An owner that records what the run tells it. */
function recordingOwner() {
  const calls = {
    lifecycle: [] as string[],
    failed: [] as WorkerError[],
    news: [] as WorkerError[],
    ended: 0,
    settled: [] as Array<WorkerError | undefined>,
    forwarded: [] as ChildControl[],
  };
  let status: LifecycleStateName = 'starting';
  const owner: RunOwner = {
    name: 'sink',
    status: () => status,
    lifecycle: (event) => {
      calls.lifecycle.push(event);
      if (event === 'STARTED') status = 'running';
      if (event === 'SELF_STOP') status = 'stopping';
    },
    launching: () => {},
    results: () => {},
    messages: () => {},
    control: (_run, message) => calls.forwarded.push(message),
    failed: (error) => calls.failed.push(error),
    news: (error) => calls.news.push(error),
    ended: () => {
      calls.ended++;
      status = 'stopped';
    },
    settled: (error) => calls.settled.push(error),
  };
  return { owner, calls };
}

function launchedRun() {
  const { owner, calls } = recordingOwner();
  const link = new FakeLink();
  const run = new WorkerRun(spec, { output: 'ignore', execArgv: undefined, connectTimeout: 30_000 }, owner, (_spec, _options, events) => {
    link.events = events;
    return link;
  });
  run.launch();
  return { run, link, calls };
}

const boom = serializeError(new TypeError('boom'));

describe('a worker run', () => {
  it('resolves started when the child says its onStart returned', async () => {
    const { run, link, calls } = launchedRun();
    link.control({ type: 'started' });
    await run.started;
    expect(calls.lifecycle).toEqual(['STARTED']);
  });

  it('rejects started with the failure of onStart, only once the child is gone, and reports it nowhere else', async () => {
    const { run, link, calls } = launchedRun();
    let settled = false;
    const started = run.started.catch((error: unknown) => {
      settled = true;
      throw error;
    });
    link.control({ type: 'failed', phase: 'onStart', error: boom });
    await Promise.resolve();
    expect(settled).toBe(false); // the child still runs: start() must not resolve before the worker is stopped
    link.exit({ exitCode: 0, signal: undefined, linked: true });
    await expect(started).rejects.toMatchObject({ code: 'ERR_WORKER_FAILED', phase: 'onStart', worker: 'sink' });
    expect(calls.failed).toEqual([]);
    expect(calls.lifecycle).toContain('SELF_STOP');
  });

  it('reports a failure after the start as a run error, with the batch the consumer held', async () => {
    const { run, link, calls } = launchedRun();
    link.control({ type: 'started' });
    await run.started;
    link.events.onFailedBatch([1, 2, 3]);
    link.control({ type: 'failed', phase: 'work', error: boom });
    expect(calls.failed).toHaveLength(1);
    expect(calls.failed[0]).toMatchObject({ code: 'ERR_WORKER_FAILED', phase: 'work', held: [1, 2, 3] });
    expect(calls.failed[0]!.message).toBe("Worker 'sink' failed in work: TypeError: boom");
    const draining = run.whenEnded(true);
    const stopping = run.whenEnded(false);
    link.exit({ exitCode: 0, signal: undefined, linked: true });
    await expect(draining).rejects.toBe(calls.failed[0]);
    await expect(stopping).resolves.toBeUndefined();
    expect(calls.settled).toEqual([calls.failed[0]]);
  });

  it('turns an exit nobody asked for into ERR_WORKER_EXITED naming the signal', async () => {
    const { run, link, calls } = launchedRun();
    link.control({ type: 'started' });
    await run.started;
    link.exit({ exitCode: undefined, signal: 'SIGTERM', linked: true });
    await run.whenEnded(false);
    expect(calls.failed[0]).toMatchObject({ code: 'ERR_WORKER_EXITED', phase: 'exit', signal: 'SIGTERM' });
    expect(calls.failed[0]!.message).toContain('was killed by SIGTERM without being asked to stop');
  });

  it('is quiet about an exit after a clean stop, and ignores what comes after the end', async () => {
    const { run, link, calls } = launchedRun();
    link.control({ type: 'started' });
    await run.started;
    link.control({ type: 'stopped' });
    link.exit({ exitCode: 0, signal: undefined, linked: true });
    await run.whenEnded(true);
    link.control({ type: 'started' });
    expect(calls.failed).toEqual([]);
    expect(calls.settled).toEqual([undefined]);
    expect(calls.ended).toBe(1);
    expect(calls.lifecycle).toEqual(['STARTED']);
  });

  it('tells news of an engine queue as news, not as a failure: the run goes on and ends clean', async () => {
    const { run, link, calls } = launchedRun();
    link.control({ type: 'started' });
    await run.started;
    const reset = Object.assign(new Error("queue 'jobs' vanished from Redis at redis://127.0.0.1:6379: re-created"), { code: 'ERR_TRANSPORT_RESET' });
    link.control({ type: 'engineNews', code: 'ERR_TRANSPORT_RESET', error: serializeError(reset) });
    expect(calls.news).toHaveLength(1);
    expect(calls.news[0]).toMatchObject({ code: 'ERR_TRANSPORT_RESET', fatal: false, worker: 'sink', phase: 'work' });
    expect(calls.news[0]!.message).toBe("Worker 'sink' (still running): queue 'jobs' vanished from Redis at redis://127.0.0.1:6379: re-created");
    expect((calls.news[0]!.cause as { code?: string }).code).toBe('ERR_TRANSPORT_RESET');
    expect(calls.failed).toEqual([]);
    expect(calls.lifecycle).toEqual(['STARTED']);
    link.control({ type: 'stopped' });
    link.exit({ exitCode: 0, signal: undefined, linked: true });
    await expect(run.whenEnded(true)).resolves.toBeUndefined();
    expect(calls.settled).toEqual([undefined]);
  });

  it('rejects a pending start with "stopped before its onStart returned" when the child stops cleanly first', async () => {
    const { run, link } = launchedRun();
    link.control({ type: 'stopped' });
    link.exit({ exitCode: 0, signal: undefined, linked: true });
    await expect(run.started).rejects.toThrow("Worker 'sink' was stopped before its onStart returned");
  });

  it('forwards the control messages it does not handle', () => {
    const { link, calls } = launchedRun();
    link.control({ type: 'hosting', queueId: 'q', address: '/tmp/q.sock' });
    expect(calls.forwarded).toEqual([{ type: 'hosting', queueId: 'q', address: '/tmp/q.sock' }]);
  });

  describe('killAfter', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('kills the child when the time is up, and the stop then fails with ERR_STOP_TIMEOUT', async () => {
      const { run, link } = launchedRun();
      link.control({ type: 'started' });
      const stopped = run.whenEnded(false);
      run.killAfter(1000);
      jest.advanceTimersByTime(999);
      expect(link.killed).toBe(false);
      jest.advanceTimersByTime(1);
      expect(link.killed).toBe(true);
      await expect(stopped).rejects.toMatchObject({ code: 'ERR_STOP_TIMEOUT', worker: 'sink', phase: 'work' });
    });

    it.each([
      ['onStart', []],
      ['work', [{ type: 'started' }]],
      ['onStop', [{ type: 'started' }, { type: 'phase', phase: 'onStop' }]],
    ] as Array<[string, ChildControl[]]>)('names the hook the child hung in: %s', async (phase, messages) => {
      const { run, link } = launchedRun();
      run.started.catch(() => {}); // killed before onStart returned: start() rejects too
      for (const message of messages) link.control(message);
      const stopped = run.whenEnded(false);
      run.killAfter(10);
      jest.advanceTimersByTime(10);
      await expect(stopped).rejects.toMatchObject({ code: 'ERR_STOP_TIMEOUT', phase });
      await expect(stopped).rejects.toThrow(`its ${phase} did not return`);
    });

    it.each([
      ['flushing', 'it was still flushing its writers'],
      ['closing', 'it was still closing its queue and its link'],
    ] as Array<['flushing' | 'closing', string]>)("names prodcon's own phase, not a hook, once the hooks returned: %s", async (phase, says) => {
      const { run, link } = launchedRun();
      for (const message of [{ type: 'started' }, { type: 'phase', phase: 'onStop' }, { type: 'phase', phase }] as ChildControl[]) {
        link.control(message);
      }
      const stopped = run.whenEnded(false);
      run.killAfter(10);
      jest.advanceTimersByTime(10);
      await expect(stopped).rejects.toMatchObject({ code: 'ERR_STOP_TIMEOUT', phase });
      const error = (await stopped.catch((thrown: Error) => thrown)) as Error;
      expect(error.message).toContain(says);
      expect(error.message).toContain('its hooks had returned');
      expect(error.message).not.toMatch(/did not return/);
    });

    it('resolves a start that the stop cancelled, even when the stop had to kill the child', async () => {
      const { run, link } = launchedRun();
      run.stopRequested = true;
      const stopped = run.whenEnded(false);
      run.killAfter(0);
      jest.advanceTimersByTime(0);
      await expect(stopped).rejects.toMatchObject({ code: 'ERR_STOP_TIMEOUT' });
      await expect(run.started).resolves.toBeUndefined();
      expect(link.killed).toBe(true);
    });

    it('does nothing once cancelled', () => {
      const { run, link } = launchedRun();
      const cancel = run.killAfter(1000);
      cancel();
      jest.advanceTimersByTime(5000);
      expect(link.killed).toBe(false);
    });
  });
});

describe('a worker run asked to stop before its onStart returned', () => {
  it('resolves the pending start once the child is gone: the stop was asked for, nothing failed', async () => {
    const { run, link } = launchedRun();
    run.stopRequested = true;
    link.control({ type: 'stopped' });
    link.exit({ exitCode: 0, signal: undefined, linked: true });
    await expect(run.started).resolves.toBeUndefined();
  });

  it('still rejects it when onStart failed', async () => {
    const { run, link } = launchedRun();
    run.stopRequested = true;
    link.control({ type: 'failed', phase: 'onStart', error: boom });
    link.exit({ exitCode: 0, signal: undefined, linked: true });
    await expect(run.started).rejects.toMatchObject({ code: 'ERR_WORKER_FAILED', phase: 'onStart' });
  });
});
