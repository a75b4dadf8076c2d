/** The soak run's workers: a paced sensor, and a consumer that checks order and counts. */
import { Consumer, Producer } from '@prodcon/core';

/** Readings `{ seq, t }` at args.rate per second (paced by the clock, not by sleeping per item). */
export class Sensor extends Producer {
  static moduleUrl = import.meta.url;
  static onStart() {
    return { next: 0, started: performance.now() };
  }
  static work(ctx) {
    const state = ctx.startResult;
    const due = ((performance.now() - state.started) * ctx.args.rate) / 1000;
    if (state.next >= due) return undefined; // ahead of the clock: nothing now (the loop backs off)
    return { seq: state.next++, t: Date.now() };
  }
}

/** Counts readings, and readings that came out of order (a lossless queue must have none). */
export class Recorder extends Consumer {
  static moduleUrl = import.meta.url;
  static onStart() {
    return { last: -1, outOfOrder: 0, count: 0 };
  }
  static work(items, ctx) {
    const state = ctx.startResult;
    state.count += items.length;
    for (const item of items) {
      if (item.seq <= state.last) state.outOfOrder++;
      state.last = item.seq;
    }
    return undefined;
  }
  static onStop(ctx) {
    return { outOfOrder: ctx.startResult.outOfOrder, count: ctx.startResult.count };
  }
}
