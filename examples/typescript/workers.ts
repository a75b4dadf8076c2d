// Workers written in TypeScript. Each class declares its types once, in defineProducer /
// defineConsumer; the hooks' ctx, items and return types follow, and so do the main process's
// results, events, queues and pipelines. Children load this module through tsx: a parent run
// with tsx passes its loader on, and prodcon adds tsx itself for .ts modules otherwise.
import { defineConsumer, defineProducer } from '@prodcon/core';

export interface Reading {
  sensor: string;
  seq: number;
  celsius: number;
}

/** Five readings, one every 20 ms, then it stops itself. */
export class Thermometer extends defineProducer<{ item: Reading; args: { sensor: string }; start: { seq: number } }>({
  moduleUrl: import.meta.url,
  onStart: () => ({ seq: 0 }),
  work: (ctx) => {
    const seq = ctx.startResult.seq++;
    if (seq === 4) ctx.stop();
    return { sensor: ctx.args.sensor, seq, celsius: 20 + seq / 2 };
  },
}) {}

/** Averages each batch of readings. */
export class Averager extends defineConsumer<{ item: Reading; result: string }>({
  moduleUrl: import.meta.url,
  work: (readings) => {
    const mean = readings.reduce((sum, reading) => sum + reading.celsius, 0) / readings.length;
    return `average of ${readings.length} readings from ${readings[0]!.sensor}: ${mean.toFixed(2)} °C`;
  },
}) {}
