import { ConsumerPool, WorkerError, convert, pipeline } from '@prodcon/core';
import { Doubler, NumberSource, Summer, Tally } from './fixtures/pool-workers.mjs';
import { liveWorkers, waitUntilDead } from './helpers/processes.js';
import { forEachTransport, type TransportUnderTest } from './conformance/transports.js';

const COUNT = 100_000;

function stages(transport: TransportUnderTest, failAt?: number) {
  const source = new NumberSource({ args: { count: COUNT } });
  const parse = new ConsumerPool(Doubler, transport.consumer({ size: 2, maxBufferSize: 500, workTimeout: 20 }));
  const aggregate = new Summer(transport.consumer({ maxBufferSize: 20, workTimeout: 20, args: { failAt } }));
  const tally = new Tally(transport.consumer({ maxBufferSize: 50, workTimeout: 20 }));
  return { source, parse, aggregate, tally };
}

function pidsOf(...units: Array<{ pid?: number; members?: Array<{ pid?: number }> }>): number[] {
  return units.flatMap((unit) => (unit.members ? unit.members.map((member) => member.pid!) : [unit.pid!])).filter(Boolean);
}

forEachTransport('a pipeline', (transport) => {
  it('of 4 stages over 100,000 items ends by itself with every item accounted for', async () => {
    const { source, parse, aggregate, tally } = stages(transport);
    const flow = pipeline(source, parse, aggregate, tally); // JavaScript stages: the items are `any`
    let count = 0;
    let sum = 0;
    for await (const record of flow.items()) {
      count += record.count;
      sum += record.sum;
    }
    await flow.done;
    expect(count).toBe(COUNT);
    expect(sum).toBe(2 * ((COUNT - 1) * COUNT) / 2);
    for (const unit of [source, aggregate, tally]) expect(unit.getState()).toBe('stopped');
    expect(parse.getState()).toBe('stopped');
    expect(liveWorkers()).toEqual([]);
  });

  it('rejects done with the original error and stack when stage 3 fails, and every process exits', async () => {
    const { source, parse, aggregate, tally } = stages(transport, 5);
    const flow = pipeline(source, parse, aggregate, tally);
    await flow.start();
    const pids = pidsOf(source, parse, aggregate, tally);
    expect(pids.length).toBe(5);
    const error = (await flow.done.catch((thrown: WorkerError) => thrown)) as WorkerError;
    expect(error).toBeInstanceOf(WorkerError);
    expect(error.message).toBe("Worker 'Summer' failed in work: RangeError: stage 3 broke");
    expect(error.stack).toMatch(/at Summer\.work .*pool-workers\.mjs/);
    expect((error.cause as Error).message).toBe('stage 3 broke');
    await waitUntilDead(pids, 5000);
    expect(liveWorkers()).toEqual([]);
  });

  it('starts downstream first and stops upstream first when asked', async () => {
    const source = new NumberSource({ args: { count: Number.MAX_SAFE_INTEGER } });
    const sink = new Tally(transport.consumer({ maxBufferSize: 100, workTimeout: 10 }));
    const order: string[] = [];
    source.on('state', (state) => order.push(`source ${state}`));
    sink.on('state', (state) => order.push(`sink ${state}`));
    const flow = pipeline(source, new ConsumerPool(Doubler, transport.consumer({ size: 1, maxBufferSize: 100, workTimeout: 10 })), sink);
    await flow.start();
    await flow.stop();
    expect(order.slice(0, 2)).toEqual(['sink started', 'source started']);
    expect(order.indexOf('source stopped')).toBeLessThan(order.indexOf('sink stopped'));
  });

  it('convert() yields the results of a finite stream and ends with it (proconex Converter)', async () => {
    const squares: number[] = [];
    for await (const batch of convert(new NumberSource({ args: { count: 5 } }), new Doubler(transport.consumer({ workTimeout: 0 })))) {
      squares.push(...batch);
    }
    expect(squares).toEqual([0, 2, 4, 6, 8]);
  });
});
