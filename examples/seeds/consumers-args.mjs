// consumers' "consumer configuration": positional and keyword arguments become `args`.
// Run: node examples/seeds/consumers-args.mjs
import { Consumer, ConsumerPool, isMainProcess } from '@prodcon/core';

export class PrintHost extends Consumer {
  static moduleUrl = import.meta.url;

  static work(numbers, ctx) {
    const { host, port = 80 } = ctx.args;
    for (const number of numbers) console.log(`${host}:${port} ${number}`);
  }
}

if (isMainProcess()) {
  const remote = new ConsumerPool(PrintHost, { size: 1, args: { host: 'remote' } });
  await remote.put(0, 1, 2);
  await remote.join();

  const local = new ConsumerPool(PrintHost, { size: 1, args: { host: 'local', port: 8123 } });
  await local.put(0, 1, 2);
  await local.join();
}
