// consumers' first example: a pool of printers (one process per core by default)
// shares one queue; each number is printed by one of them, with its pid.
// Run: node examples/seeds/consumers-printer.mjs
import { Consumer, ConsumerPool, isMainProcess } from '@prodcon/core';

export class Printer extends Consumer {
  static moduleUrl = import.meta.url;

  static work(numbers) {
    for (const number of numbers) console.log(process.pid, number);
  }
}

if (isMainProcess()) {
  const pool = new ConsumerPool(Printer);
  for (let number = 0; number < 5; number++) await pool.put(number);
  await pool.join();
}
