// Quick start (the README's example): a counter producer feeding a batching consumer.
// Run: node examples/quick-start.mjs
import { Consumer, Producer, isMainProcess } from '@prodcon/core';

export class Counter extends Producer {
  static moduleUrl = import.meta.url; // the child process loads this module to find the class
  static onStart() {
    return { next: 0 }; // becomes ctx.startResult
  }
  static work(ctx) {
    return ctx.startResult.next++; // every 100 ms (workTimeout), in the producer's process
  }
}

export class Printer extends Consumer {
  static moduleUrl = import.meta.url;
  static work(items) {
    return `got [${items.join(', ')}]`; // a batch every 500 ms, or at 1000 items
  }
}

if (isMainProcess()) { // the children load this file too: keep the main code out of them
  const printer = new Printer({ workTimeout: 500, maxBufferSize: 1000 });
  const counter = new Counter({ workTimeout: 100, subscribers: [printer.getWorkQueue()] });
  printer.on('result', (line) => console.log(line));
  await printer.start();
  await counter.start();
  await new Promise((resolve) => setTimeout(resolve, 2200));
  await counter.stop();
  await printer.stopAtQueueEnd(); // consumes everything still queued, then stops
}
