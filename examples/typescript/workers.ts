// Workers written in TypeScript. Children load this module through tsx: a parent
// run with tsx passes its loader on, and prodcon adds tsx itself for .ts modules otherwise.
import { Consumer, Producer, type WorkContext } from '@prodcon/core';

export interface Reading {
  sensor: string;
  seq: number;
  celsius: number;
}

/** Five readings, one every 20 ms, then it stops itself. */
export class Thermometer extends Producer<Reading, { sensor: string }, { seq: number }> {
  static override moduleUrl = import.meta.url;

  static override onStart(): { seq: number } {
    return { seq: 0 };
  }

  static override work(ctx: WorkContext<{ sensor: string }, { seq: number }>): Reading {
    const seq = ctx.startResult.seq++;
    if (seq === 4) ctx.stop();
    return { sensor: ctx.args.sensor, seq, celsius: 20 + seq / 2 };
  }
}

/** Averages each batch of readings. */
export class Averager extends Consumer<Reading, string> {
  static override moduleUrl = import.meta.url;

  static override work(readings: Reading[]): string {
    const mean = readings.reduce((sum, reading) => sum + reading.celsius, 0) / readings.length;
    return `average of ${readings.length} readings from ${readings[0]!.sensor}: ${mean.toFixed(2)} °C`;
  }
}
