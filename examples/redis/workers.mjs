// The workers of the two-host example: the same classes run on any host.
import { Consumer, Producer } from '@prodcon/core';
import { redisQueue } from '@prodcon/redis';

/** The queue both hosts name: kept in Redis, lossy (only recent readings matter), 1000 readings at most. */
export const readings = () =>
  redisQueue('lab/readings', { url: process.env.PRODCON_REDIS_URL ?? 'redis://127.0.0.1:6379', lossy: true, capacity: 1000 });

/** A simulated sensor on a lab PC: one reading per work call. */
export class Sensor extends Producer {
  static moduleUrl = import.meta.url;
  static onStart() {
    return { seq: 0 };
  }
  static work(ctx) {
    return { pc: ctx.args.pc, seq: ctx.startResult.seq++, value: Math.sin(Date.now() / 200), t: Date.now() };
  }
}

/** The analysis on the server: a summary of every batch of readings. */
export class Analysis extends Consumer {
  static moduleUrl = import.meta.url;
  static work(batch) {
    const mean = batch.reduce((sum, reading) => sum + reading.value, 0) / batch.length;
    const pcs = [...new Set(batch.map((reading) => reading.pc))].join(', ');
    return `${batch.length} readings from ${pcs}: mean ${mean.toFixed(3)}, ${Date.now() - batch.at(-1).t} ms old`;
  }
}
