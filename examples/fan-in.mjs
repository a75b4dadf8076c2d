// Two tagged producers feeding one consumer (adv_prodcon's kwargs_tag_example).
// Run: node examples/fan-in.mjs
import { Consumer, Producer, isMainProcess } from '@prodcon/core';

export class Greeter extends Producer {
  static moduleUrl = import.meta.url;

  static work(ctx) {
    return `Message from ${ctx.args.tag}`;
  }
}

export class Printer extends Consumer {
  static moduleUrl = import.meta.url;

  static work(items) {
    for (const item of items) console.log(item);
  }
}

if (isMainProcess()) {
  const printer = new Printer(); // maxBufferSize 1: each item as it comes
  const greeters = ['Mary', 'James'].map(
    (tag) => new Greeter({ name: tag, args: { tag }, workTimeout: 200, subscribers: [printer.getWorkQueue()] }),
  );
  await printer.start();
  await Promise.all(greeters.map((greeter) => greeter.start()));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await Promise.all(greeters.map((greeter) => greeter.stop()));
  await printer.stopAtQueueEnd();
}
