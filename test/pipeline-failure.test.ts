import { WorkerError, pipeline, type ReadyQueue } from '@prodcon/core';
import { BreakingSource, Relay, SlowSink } from './fixtures/stage-workers.mjs';
import { nextEvent } from './helpers/events.js';
import { liveWorkers } from './helpers/processes.js';

/*
 * Issue 9, defect 6: a pipeline whose first stage fails must not discard what
 * its lossless queues already accepted. source → relay → sink, lossless, the
 * sink slow enough that both queues are full when the source fails.
 */

const FAIL_AFTER = 5000;
const QUEUE = 1000;

function stages(sourceArgs: { failAfter?: number }, sinkArgs: { announceAt?: number } = {}) {
  const source = new BreakingSource({ args: sourceArgs });
  const relay = new Relay({ maxBufferSize: 1, workTimeout: 0, queueSize: QUEUE });
  const sink = new SlowSink({ maxBufferSize: 100, workTimeout: 10, queueSize: QUEUE, args: { delay: 20, ...sinkArgs } });
  return { source, relay, sink };
}

function dropped(queue: ReadyQueue): number {
  return queue.dropped;
}

/**
 * The figures of a finished run: what the source made (unknown when it was killed: its last report died
 * with it), what the relay's queue accepted, what the sink consumed, what the two queues dropped.
 */
function figures({ source, relay, sink }: ReturnType<typeof stages>, scenario: string) {
  const produced = source.metrics().produced.total;
  const accepted = relay.getWorkQueue().metrics().received;
  const consumed = sink.metrics().consumed.total;
  const drops = { relay: relay.getWorkQueue().drops, sink: sink.getWorkQueue().drops };
  const droppedTotal = dropped(relay.getWorkQueue()) + dropped(sink.getWorkQueue());
  const figures = { produced, accepted, consumed, dropped: droppedTotal, drops };
  console.log(`pipeline failure figures (${scenario}): ${JSON.stringify(figures)}`);
  return figures;
}

describe('a pipeline whose first stage fails', () => {
  afterEach(() => {
    expect(liveWorkers()).toEqual([]);
  });

  it('lets the lossless stages downstream consume everything they accepted, then rejects done with the error', async () => {
    const units = stages({ failAfter: FAIL_AFTER });
    const flow = pipeline(units.source, units.relay, units.sink);
    await flow.start();
    const error = (await flow.done.catch((thrown: unknown) => thrown)) as WorkerError;
    expect(error).toBeInstanceOf(WorkerError);
    expect(error.message).toBe(`Worker 'BreakingSource' failed in work: source broke after ${FAIL_AFTER} items`);
    const { produced, consumed, dropped } = figures(units, 'the source throws');
    expect(produced).toBe(FAIL_AFTER);
    expect(consumed).toBe(FAIL_AFTER); // before the fix: about 3,000 (what was queued downstream was dropped)
    expect(dropped).toBe(0);
    expect(units.sink.stopResult).toEqual({ count: FAIL_AFTER, inOrder: true });
    expect(flow.errors).toEqual([error]);
  });

  it('drains downstream when the source is SIGKILLed: every item a queue accepted is consumed', async () => {
    const units = stages({}, { announceAt: 500 });
    const flow = pipeline(units.source, units.relay, units.sink);
    const announced = nextEvent(units.sink, 'message');
    await flow.start();
    await announced; // the sink consumes: both queues are full, the source waits for room
    process.kill(units.source.pid!, 'SIGKILL');
    const error = (await flow.done.catch((thrown: unknown) => thrown)) as WorkerError;
    expect(error).toBeInstanceOf(WorkerError);
    expect(error.code).toBe('ERR_WORKER_EXITED');
    expect(error.worker).toBe('BreakingSource');
    // The source's own count died with it: what the relay's queue accepted is the measure.
    const { accepted, consumed, dropped } = figures(units, 'the source is SIGKILLed');
    expect(accepted).toBeGreaterThan(QUEUE);
    expect(consumed).toBe(accepted);
    expect(dropped).toBe(0);
    expect(units.sink.stopResult).toEqual({ count: accepted, inOrder: true });
  });

  it('with failFast, stops every stage at once and counts what they held as dropped (stopped)', async () => {
    const units = stages({ failAfter: FAIL_AFTER });
    const flow = pipeline(units.source, units.relay, units.sink, { failFast: true });
    await flow.start();
    const error = (await flow.done.catch((thrown: unknown) => thrown)) as WorkerError;
    expect(error.message).toBe(`Worker 'BreakingSource' failed in work: source broke after ${FAIL_AFTER} items`);
    const { produced, consumed, dropped, drops } = figures(units, 'failFast');
    expect(produced).toBe(FAIL_AFTER);
    expect(consumed).toBeLessThan(FAIL_AFTER);
    expect(dropped).toBeGreaterThan(0);
    expect(produced).toBe(consumed + dropped);
    expect(drops.relay.stopped + drops.sink.stopped).toBe(dropped);
  });
});
