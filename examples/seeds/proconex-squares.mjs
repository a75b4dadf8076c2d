// proconex's Converter: integers 0..4 are squared by a converting consumer and
// the caller iterates the results as they come.
// Run: node examples/seeds/proconex-squares.mjs
import { Consumer, END, Producer, convert, isMainProcess } from '@prodcon/core';

export class IntegerProducer extends Producer {
  static moduleUrl = import.meta.url;

  static onStart() {
    return { next: 0 };
  }

  static work(ctx) {
    return ctx.startResult.next < 5 ? ctx.startResult.next++ : END;
  }
}

export class SquareConvertingIntegerConsumer extends Consumer {
  static moduleUrl = import.meta.url;

  static work([item]) {
    return item * item;
  }
}

if (isMainProcess()) {
  for await (const square of convert(new IntegerProducer(), new SquareConvertingIntegerConsumer({ workTimeout: 0 }))) {
    console.log(square);
  }
}
