// Quick start: a counter producer feeding a batching consumer, each in its own process.
// Run: node examples/quick-start.mjs
import { Consumer, Producer, isMainProcess } from '@prodcon/core';

export class Counter extends Producer {
  static moduleUrl = import.meta.url;

  static onStart() {
    return { next: 0 };
  }

  // Every 100 ms (workTimeout), in the producer's process.
  static work(ctx) {
    return ctx.startResult.next++;
  }
}

export class Printer extends Consumer {
  static moduleUrl = import.meta.url;

  // A batch every 500 ms (workTimeout), or as soon as 1000 items are buffered.
  static work(items) {
    return `got [${items.join(', ')}]`;
  }

  static onStop() {
    console.log('printer stopping');
  }
}

if (isMainProcess()) {
  const printer = new Printer({ workTimeout: 500, maxBufferSize: 1000 });
  const counter = new Counter({ workTimeout: 100, subscribers: [printer.getWorkQueue()] });
  printer.on('result', (line) => console.log(line));

  await printer.start();
  await counter.start();
  await new Promise((resolve) => setTimeout(resolve, 2200));
  await counter.stop();
  await printer.stopAtQueueEnd(); // consumes everything still queued, then stops
  console.log('done: both workers stopped, nothing left running');
}
