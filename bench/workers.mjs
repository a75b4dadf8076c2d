// The workers the benchmark measures: plain prodcon subclasses, nothing tuned for the benchmark.
import { Consumer, Producer } from '@prodcon/core';
import { makeItem } from './lib/items.mjs';

/** Produces items of args.size as fast as allowed (or paced by workTimeout). */
export class Generator extends Producer {
  static moduleUrl = import.meta.url;
  static onStart() {
    return { seq: 0 };
  }
  static work(ctx) {
    return makeItem(ctx.args.size, ctx.startResult.seq++);
  }
  static onStop(ctx) {
    ctx.messages.send({ produced: ctx.startResult.seq });
  }
}

/** Counts what it consumes: each batch's size is its result. */
export class Counter extends Consumer {
  static moduleUrl = import.meta.url;
  static work(items) {
    return items.length;
  }
}

/** The pool job's member: one result per item (its seq) back to the main process. */
export class Echo extends Consumer {
  static moduleUrl = import.meta.url;
  static work(items) {
    return items.map((item) => item.seq);
  }
}

/**
 * Records, for each item, the time from the producer's work return (the
 * item's stamp) to this work call; reports all of them from onStop.
 */
export class LatencyProbe extends Consumer {
  static moduleUrl = import.meta.url;
  static onStart() {
    return { latencies: [], created: [] };
  }
  static work(items, ctx) {
    const now = Number(process.hrtime.bigint());
    for (const item of items) {
      ctx.startResult.latencies.push(now - item.t);
      ctx.startResult.created.push(item.t);
    }
  }
  static onStop(ctx) {
    ctx.messages.send({ latencies: ctx.startResult.latencies, created: ctx.startResult.created });
  }
}

/** A consumer ten times slower than a 10 kHz producer: 1 ms of (sleeping) work per item. */
export class SlowConsumer extends Consumer {
  static moduleUrl = import.meta.url;
  static async work(items) {
    await new Promise((resolve) => setTimeout(resolve, items.length));
    return items.length;
  }
}

/** Does nothing at all, once a second. */
export class Idle extends Producer {
  static moduleUrl = import.meta.url;
  static work() {
    return { t: Date.now() };
  }
}
