// proconex's Converter: integers 0..4 are squared by a converting consumer and
// the caller iterates the results as they come (progress on stderr: a bar in a terminal).
// Run: node examples/seeds/proconex-squares.mjs
import { Consumer, END, Producer, convert, isMainProcess } from '@prodcon/core';
import { showProgress } from '../lib/progress.mjs';

export class IntegerProducer extends Producer {
  static moduleUrl = import.meta.url;

  static onStart() {
    return { next: 0 };
  }

  static total() {
    return 5; // for progress
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
  const squares = convert(new IntegerProducer(), new SquareConvertingIntegerConsumer({ workTimeout: 0 }), { onProgress: showProgress('squares') });
  for await (const square of squares) {
    console.log(square);
  }
}
