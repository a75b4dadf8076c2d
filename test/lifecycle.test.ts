import { Consumer, Producer, type WorkerState } from '@prodcon/core';
import { Collector, Counter, Echo } from './fixtures/workers.mjs';
import { collect, nextEvent } from './helpers/events.js';
import { liveWorkers, waitUntilDead } from './helpers/processes.js';


describe('the lifecycle of a worker', () => {
  it('goes stopped → started → stopped, announcing each state once', async () => {
    const echo = new Echo();
    const states = collect<WorkerState>(echo, 'state');
    expect(echo.getState()).toBe('stopped');
    await echo.start();
    expect(echo.getState()).toBe('started');
    const pid = echo.pid!;
    expect(pid).toBeGreaterThan(0);
    await echo.stop();
    expect(echo.getState()).toBe('stopped');
    expect(states).toEqual(['started', 'stopped']);
    await waitUntilDead([pid], 1000);
  });

  it('delivers what onStop sends before stop() resolves, even right after start()', async () => {
    const echo = new Echo();
    const messages = collect<unknown>(echo, 'message');
    const started = echo.start();
    await started;
    await echo.stop();
    expect(messages).toEqual(['stopped']);
  });

  it('treats repeated stop() calls as harmless', async () => {
    const echo = new Echo();
    await echo.stop();
    await echo.start();
    await Promise.all([echo.stop(), echo.stop()]);
    await echo.stop();
    expect(echo.getState()).toBe('stopped');
  });

  it('restarts a running worker on start(): a new process, the old one gone', async () => {
    const counter = new Counter({ workTimeout: 10 });
    await counter.start();
    const first = counter.pid!;
    await counter.start();
    const second = counter.pid!;
    expect(second).not.toBe(first);
    await waitUntilDead([first], 1000);
    expect(counter.getState()).toBe('started');
    await counter.stop();
    await waitUntilDead([second], 1000);
  });

  it('leaks no process, listener or socket over 20 restarts', async () => {
    const consumer = new Collector({ workTimeout: 50, maxBufferSize: 100 });
    const producer = new Counter({ workTimeout: 1, subscribers: [consumer.getWorkQueue()] });
    const results: unknown[][] = [];
    consumer.on('result', (batch: unknown[]) => results.push(batch));
    // An internal count (stripped from the public types): the queue's listeners for binding changes.
    const bindingListeners = () => (consumer.getWorkQueue() as unknown as { bindingListenerCount: number }).bindingListenerCount;
    const listenerCounts = () => [
      consumer.listenerCount('result'),
      consumer.listenerCount('state'),
      producer.listenerCount('state'),
      bindingListeners(),
    ];
    // Live handles: sockets and child processes not already on their way out. A stopped child's
    // stdio pipes and process handle close a loop turn or two after stop() resolves; counting
    // those would compare two moments of the same teardown, not find a leak.
    const handles = () =>
      (process as unknown as { _getActiveHandles(): Array<Record<string, unknown>> })
        ._getActiveHandles()
        .filter((handle) => handle.destroyed !== true && handle.exitCode == null && handle.signalCode == null).length;
    // One full cycle first, so that once-per-process resources (the main socket) exist in the baseline.
    await consumer.start();
    await producer.start();
    await producer.stop();
    await consumer.stop();
    const baseline = { listeners: listenerCounts(), handles: handles() };

    const pids = new Set<number>();
    for (let round = 0; round < 20; round++) {
      await consumer.start();
      await producer.start();
      await nextEvent(consumer, 'result'); // every restarted pair really works
      pids.add(consumer.pid!);
      pids.add(producer.pid!);
      expect(bindingListeners()).toBe(1); // the running producer's, not one per restart
    }
    await producer.stop();
    await consumer.stop();
    expect(pids.size).toBe(40);
    await waitUntilDead([...pids], 3000);
    expect(liveWorkers()).toEqual([]);
    expect(listenerCounts()).toEqual(baseline.listeners);
    expect(handles()).toBe(baseline.handles);
    expect(results.length).toBeGreaterThanOrEqual(20);
  });
});

describe('a Producer or Consumer subclass', () => {
  it('is rejected at construction when it has no work()', () => {
    class NoWork extends Producer {}
    class NoWorkConsumer extends Consumer {}
    expect(() => new NoWork()).toThrow(/NoWork must define static work\(ctx\)/);
    expect(() => new NoWorkConsumer()).toThrow(/NoWorkConsumer must define static work\(items, ctx\)/);
  });
});
