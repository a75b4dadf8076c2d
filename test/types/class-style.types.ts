/**
 * Type tests of classes written without the define helpers: TypeScript
 * subclasses as before (hooks annotated by hand, now with ContextOf), and
 * the JavaScript fixtures, which stay untyped. Checked by tsc, never run.
 */
import { ConsumerPool, Consumer, Producer, pipeline, type ContextOf, type WorkContext } from '@prodcon/core';
import { expectTypeOf } from 'expect-type';
import { Collector, Counter } from '../fixtures/workers.mjs';

/** The class style keeps compiling, annotated by hand. */
export class Thermometer extends Producer<number, { sensor: string }, { seq: number }> {
  static override moduleUrl = import.meta.url;
  static override onStart(): { seq: number } {
    return { seq: 0 };
  }
  static override work(ctx: WorkContext<{ sensor: string }, { seq: number }>): number {
    return ctx.startResult.seq++;
  }
}

/** ContextOf saves writing the types twice. */
export class Averager extends Consumer<number, string, { digits: number }, undefined, 'flush'> {
  static override moduleUrl = import.meta.url;
  static override work(items: number[], ctx: ContextOf<Averager>): string {
    expectTypeOf(ctx.args).toEqualTypeOf<{ digits: number }>();
    expectTypeOf(ctx.messages.tryReceive()).toEqualTypeOf<'flush' | undefined>();
    return (items.reduce((sum, item) => sum + item, 0) / items.length).toFixed(ctx.args.digits);
  }
  static override onStop(): { done: true } {
    return { done: true };
  }
}

const averager = new Averager({ args: { digits: 2 } });
const thermometer = new Thermometer({ subscribers: [averager.getWorkQueue()] });
expectTypeOf(thermometer.results()).toEqualTypeOf<AsyncIterable<number>>();
expectTypeOf(pipeline(thermometer, averager).items()).toEqualTypeOf<AsyncGenerator<string>>();
expectTypeOf(new ConsumerPool(Averager).results).toEqualTypeOf<Array<{ done: true }>>();
averager.sendMessage('flush');
// @ts-expect-error the class declares its messages as 'flush'
averager.sendMessage('drop');
// @ts-expect-error a string queue for a number producer
thermometer.setSubscribers([new Averager().getWorkQueue() as unknown as import('@prodcon/core').ReadyQueue<string>]);

/** JavaScript workers (the scenario fixtures) are `any`-typed: nothing to check, nothing refused. */
const collector = new Collector();
new Counter({ subscribers: [collector.getWorkQueue()] });
expectTypeOf(pipeline(new Counter(), collector).items()).toEqualTypeOf<AsyncGenerator<any>>();
