// consumers' "cross-pool communication": each square-sums consumer puts its
// total into a logger pool, from its own process, through a queue handle passed in args.
// Run: node examples/seeds/consumers-cross-pool.mjs
import { Consumer, ConsumerPool, isMainProcess } from '@prodcon/core';

export class SquareSums extends Consumer {
  static moduleUrl = import.meta.url;

  static onStart() {
    return { total: 0 };
  }

  static work(numbers, ctx) {
    for (const number of numbers) ctx.startResult.total += number * number;
  }

  static async onStop(ctx) {
    await ctx.args.logger.put(ctx.startResult.total); // a ReadyQueue handle, usable in the child
  }
}

export class Logger extends Consumer {
  static moduleUrl = import.meta.url;

  static onStart() {
    return { totals: [] };
  }

  static work(totals, ctx) {
    for (const total of totals) {
      console.log('A consumer has finished with a total of', total);
      ctx.startResult.totals.push(total);
    }
  }

  static onStop(ctx) {
    return ctx.startResult.totals;
  }
}

if (isMainProcess()) {
  const loggerPool = new ConsumerPool(Logger, { size: 1 });
  await loggerPool.start();
  const squareSumsPool = new ConsumerPool(SquareSums, { size: 4, maxBufferSize: 50, args: { logger: loggerPool.getWorkQueue() } });
  for (let number = 0; number < 500; number++) await squareSumsPool.put(number);
  await squareSumsPool.join(); // each member's onStop puts its total into the logger pool
  const [totals] = await loggerPool.join();
  const sum = totals.reduce((a, b) => a + b, 0);
  console.log(`sum of the totals: ${sum} (expected ${Array.from({ length: 500 }, (_, n) => n * n).reduce((a, b) => a + b, 0)})`);
}
