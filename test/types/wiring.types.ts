/**
 * Type tests of what follows a worker's declaration into the main process:
 * queues and subscribers, pools, pipelines, converters. Checked by tsc, never run.
 */
import { ConsumerPool, ReadyQueue, convert, defineConsumer, defineProducer, pipeline, type Pipeline } from '@prodcon/core';
import { expectTypeOf } from 'expect-type';

export class Numbers extends defineProducer<{ item: number; args: { count: number } }>({
  work: (ctx) => ctx.args.count,
}) {}
export class Doubler extends defineConsumer<{ item: number; result: number[] }>({
  work: (items) => items.map((item) => item * 2),
}) {}
export class Joiner extends defineConsumer<{ item: number[] | string; result: string; stop: { batches: number } }>({
  work: (batches) => batches.join(';'),
  onStop: () => ({ batches: 1 }),
}) {}
export class Shouter extends defineConsumer<{ item: string; result: string }>({
  work: (items) => items.join('!'),
}) {}

const numbers = new Numbers({ args: { count: 3 } });
const doubler = new Doubler();
const joiner = new Joiner();
const shouter = new Shouter();

// --- must compile ---------------------------------------------------------------

// Subscribers: any queue that takes the items (a wider one too).
numbers.setSubscribers([doubler.getWorkQueue(), new ReadyQueue<number | string>()]);
doubler.setSubscribers([joiner.getWorkQueue()]);
new Doubler({ subscribers: [joiner.getWorkQueue()] });

// Pools take every type from the class, onStop's result included.
const pool = new ConsumerPool(Joiner, { size: 2 });
expectTypeOf(pool.put).parameters.toEqualTypeOf<Array<number[] | string>>();
expectTypeOf(pool.join()).resolves.toEqualTypeOf<Array<{ batches: number }>>();
expectTypeOf(pool.results).toEqualTypeOf<Array<{ batches: number }>>();
expectTypeOf(pool.resultStream()).toEqualTypeOf<AsyncIterable<string>>();
pool.on('result', (line) => expectTypeOf(line).toEqualTypeOf<string>());
pool.on('message', (message, member) => {
  expectTypeOf(message).toEqualTypeOf<unknown>();
  expectTypeOf(member).toEqualTypeOf<string>();
});
expectTypeOf(pool.getWorkQueue()).toEqualTypeOf<ReadyQueue<number[] | string>>();

// Pipelines: each stage takes what the one before puts out; the items are the last stage's results.
const flow = pipeline(numbers, [doubler, new ConsumerPool(Doubler, { size: 2 })], joiner);
expectTypeOf(flow).toEqualTypeOf<Pipeline<string>>();
expectTypeOf(flow.items()).toEqualTypeOf<AsyncGenerator<string>>();
expectTypeOf(pipeline(numbers)).toEqualTypeOf<Pipeline<number>>();
// Options may follow the last stage.
expectTypeOf(pipeline(numbers, doubler, { failFast: true })).toEqualTypeOf<Pipeline<number[]>>();
expectTypeOf(pipeline(numbers, [doubler, new ConsumerPool(Doubler, { size: 2 })], joiner, { metricsInterval: 500 })).toEqualTypeOf<Pipeline<string>>();
expectTypeOf(convert(numbers, doubler)).toEqualTypeOf<AsyncGenerator<number[]>>();
expectTypeOf(convert(numbers, new ConsumerPool(Doubler))).toEqualTypeOf<AsyncGenerator<number[]>>();

// --- must not compile -----------------------------------------------------------

// @ts-expect-error a number producer into a queue of strings
numbers.setSubscribers([shouter.getWorkQueue()]);
// @ts-expect-error a number producer into a queue of strings
numbers.setSubscribers([new ReadyQueue<string>()]);
// @ts-expect-error as a constructor option too
new Numbers({ subscribers: [new ReadyQueue<string>()] });
// @ts-expect-error a pool takes its class's items
void pool.put(42);
// @ts-expect-error a stage that does not take what the stage before puts out
pipeline(numbers, shouter);
// @ts-expect-error a later stage does not take number[]
pipeline(numbers, doubler, shouter);
// @ts-expect-error only the first stage may be a producer
pipeline(numbers, doubler, numbers);
// @ts-expect-error the stages are checked when options follow them too
pipeline(numbers, shouter, { failFast: true });
// @ts-expect-error options only after the last stage
pipeline(numbers, { failFast: true }, doubler);
// @ts-expect-error failFast is a boolean
pipeline(numbers, doubler, { failFast: 'yes' });
// @ts-expect-error the consumers do not take numbers
convert(numbers, shouter);
// @ts-expect-error the pool's members take number[] | string, not number
convert(numbers, pool);
// @ts-expect-error a ConsumerPool needs a Consumer class
new ConsumerPool(Numbers);
