// consumers' "getting results": two consumers each join the letters they got;
// what each one's onStop returns is the pool's result, once joined.
// Run: node examples/seeds/consumers-concatenate.mjs
import { Consumer, ConsumerPool, isMainProcess } from '@prodcon/core';

export class Concatenate extends Consumer {
  static moduleUrl = import.meta.url;

  static onStart() {
    return { letters: [] };
  }

  static work(letters, ctx) {
    ctx.startResult.letters.push(...letters);
  }

  static onStop(ctx) {
    return ctx.startResult.letters.join('-');
  }
}

if (isMainProcess()) {
  const pool = new ConsumerPool(Concatenate, { size: 2 });
  await pool.put(...'abcdef');
  await pool.join();
  console.log(pool.results); // e.g. [ 'a-c-e', 'b-d-f' ]: each letter once, in some member
}
