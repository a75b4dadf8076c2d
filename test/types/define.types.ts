/**
 * Type tests of defineProducer / defineConsumer: checked by `tsc -p
 * tsconfig.test.json` (the first step of `pnpm test`), never run. Each
 * `@ts-expect-error` is a case that must not compile; everything else must.
 */
import { END, defineConsumer, defineProducer, type ContextOf, type WorkContext } from '@prodcon/core';
import { expectTypeOf } from 'expect-type';

interface Reading {
  sensor: string;
  seq: number;
  celsius: number;
}
type Command = { type: 'reset' } | { type: 'rate'; hz: number };
type Status = { seen: number };

// --- must compile ---------------------------------------------------------------

/** Every type declared once; no hook is annotated. */
export class Sensor extends defineProducer<{
  item: Reading;
  args: { sensor: string };
  start: { seq: number };
  message: Command;
  reply: Status;
  stop: number;
}>({
  moduleUrl: import.meta.url,
  onStart: (ctx) => {
    expectTypeOf(ctx.args).toEqualTypeOf<{ sensor: string }>();
    expectTypeOf(ctx.startResult).toEqualTypeOf<undefined>();
    return { seq: 0 };
  },
  work: (ctx) => {
    expectTypeOf(ctx).toEqualTypeOf<WorkContext<{ sensor: string }, { seq: number }, Command, Status>>();
    expectTypeOf(ctx.startResult).toEqualTypeOf<{ seq: number }>();
    expectTypeOf(ctx.messages.tryReceive()).toEqualTypeOf<Command | undefined>();
    expectTypeOf(ctx.messages.receive()).resolves.toEqualTypeOf<Command>();
    ctx.messages.send({ seen: ctx.startResult.seq });
    const seq = ctx.startResult.seq++;
    if (seq > 100) return END;
    if (seq % 2) return undefined; // nothing this round
    return { sensor: ctx.args.sensor, seq, celsius: 20 };
  },
  onStop: (ctx) => ctx.startResult.seq,
}) {}

/** Method syntax and async hooks work too. */
export class Averager extends defineConsumer<{ item: Reading; result: string; start: { batches: number } }>({
  moduleUrl: import.meta.url,
  onStart() {
    return { batches: 0 };
  },
  async work(readings, ctx) {
    expectTypeOf(readings).toEqualTypeOf<Reading[]>();
    ctx.startResult.batches++;
    await Promise.resolve();
    return readings.length ? `mean of ${readings.length}` : undefined;
  },
}) {}

/** Nothing declared: everything is unknown, and nothing is required but work. */
export class Anything extends defineProducer({ work: (ctx) => ctx.args }) {}
expectTypeOf(new Anything().results()).toEqualTypeOf<AsyncIterable<unknown>>();

/** `reply` defaults to `message`. */
export class Echo extends defineProducer<{ message: string }>({
  work: async (ctx) => {
    ctx.messages.send(await ctx.messages.receive());
    return undefined;
  },
}) {}
expectTypeOf(new Echo().sendMessage).parameter(0).toEqualTypeOf<string>();
new Echo().on('message', (message) => expectTypeOf(message).toEqualTypeOf<string>());

// The main-process side follows from the declaration.
const averager = new Averager({ maxBufferSize: 10, subscribers: [] });
const sensor = new Sensor({ args: { sensor: 'lab-1' }, subscribers: [averager.getWorkQueue()] });
expectTypeOf(averager.getWorkQueue().put).parameter(0).toEqualTypeOf<Reading>();
expectTypeOf(sensor.results()).toEqualTypeOf<AsyncIterable<Reading>>();
expectTypeOf(averager.results()).toEqualTypeOf<AsyncIterable<string>>();
sensor.on('result', (reading) => expectTypeOf(reading).toEqualTypeOf<Reading>());
sensor.on('message', (status) => expectTypeOf(status).toEqualTypeOf<Status>());
sensor.sendMessage({ type: 'rate', hz: 10 });
void sensor.start({ args: { sensor: 'lab-2' } });

/** Helper functions take the worker's ctx by its class. */
function describeSensor(ctx: ContextOf<Sensor>): string {
  return `${ctx.args.sensor} #${ctx.startResult.seq}`;
}
expectTypeOf(describeSensor).parameter(0).toEqualTypeOf<WorkContext<{ sensor: string }, { seq: number }, Command, Status>>();

/** A subclass may still override main-process methods (and its hooks, checked against the definition). */
export class LoggingSensor extends Sensor {
  override onResult(reading: Reading): void {
    console.log(reading.celsius);
  }
  static override onStop(ctx: ContextOf<Sensor>): number {
    return ctx.startResult.seq;
  }
}

// --- must not compile -----------------------------------------------------------

/** A Producer<number> whose work returns a string. */
export class WrongItem extends defineProducer<{ item: number }>({
  // @ts-expect-error work must return a number (or undefined / END)
  work: () => 'seven',
}) {}

/** A Consumer<number, string> whose work takes strings. */
export class WrongItems extends defineConsumer<{ item: number; result: string }>({
  // @ts-expect-error its items are numbers
  work: (items: string[]) => items.join(),
}) {}

/** A Consumer<number, string> whose work returns a number. */
export class WrongResult extends defineConsumer<{ item: number; result: string }>({
  // @ts-expect-error its results are strings
  work: (items) => items.length,
}) {}

/** onStart returning the wrong shape for `start`. */
export class WrongStart extends defineProducer<{ item: number; start: { seq: number } }>({
  // @ts-expect-error onStart must return { seq: number }
  onStart: () => ({ sequence: 0 }),
  work: (ctx) => ctx.startResult.seq,
}) {}

/** `start` declared, but no onStart to provide it. */
// @ts-expect-error onStart is required once start is declared
export class MissingStart extends defineProducer<{ item: number; start: { seq: number } }>({
  work: (ctx) => ctx.startResult.seq,
}) {}

/** A typo in a type name would silently be `unknown`: refused. */
// @ts-expect-error 'itme' is not a type name
export class Typo extends defineProducer<{ itme: number }>({ work: () => 1 }) {}

// @ts-expect-error 'strat' is not a type name, even next to known ones
export class Typo2 extends defineProducer<{ item: number; strat: { seq: number } }>({ work: () => 1 }) {}

/** A typo in a hook name. */
export class HookTypo extends defineProducer({
  work: () => 1,
  // @ts-expect-error onstart is not a hook
  onstart: () => 1,
}) {}

/** A message of the wrong shape, in either direction. */
export class WrongReply extends defineProducer<{ message: Command; reply: Status }>({
  work: (ctx) => {
    // @ts-expect-error replies are Status
    ctx.messages.send('done');
    return undefined;
  },
}) {}
// @ts-expect-error messages to the child are Commands
sensor.sendMessage({ type: 'restart' });
// @ts-expect-error messages from the child are Status
sensor.on('message', (message: Command) => message);

/** args of the wrong shape. */
// @ts-expect-error args are { sensor: string }
new Sensor({ args: { sensor: 7 } });

/** The base class itself cannot be constructed: only the exported class that extends it can be loaded. */
// @ts-expect-error abstract
new (defineProducer({ work: () => 1 }))();

/** A subclass's own hook is checked against the declared types. */
// @ts-expect-error its onStop must return a number
export class WrongOverride extends Sensor {
  static override onStop(): string {
    return 'done';
  }
}

// --- the child-side message hook ---------------------------------------------------

/** onMessage gets the declared message type and must reply with the declared reply type (or nothing). */
export class Thermostat extends defineProducer<{ item: number; message: Command; reply: Status; start: { seen: number } }>({
  onStart: () => ({ seen: 0 }),
  work: (ctx) => ctx.startResult.seen,
  onMessage: (message, ctx) => {
    expectTypeOf(message).toEqualTypeOf<Command>();
    expectTypeOf(ctx.startResult).toEqualTypeOf<{ seen: number }>();
    ctx.setWorkTimeout(message.type === 'rate' ? 1000 / message.hz : 100);
    return message.type === 'reset' ? { seen: 0 } : undefined;
  },
}) {}

export class WrongMessageReply extends defineConsumer<{ item: number; message: Command; reply: Status }>({
  work: () => undefined,
  // @ts-expect-error a reply that is not the declared reply type
  onMessage: () => 'pong',
}) {}
