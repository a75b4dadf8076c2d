// The two-way message channel (adv_prodcon's message_pipe_example): the main
// process sends "reset" to a counting producer; the producer says when it passed 5.
// Run: node examples/messages.mjs
import { Producer, isMainProcess } from '@prodcon/core';

export class ResettableCounter extends Producer {
  static moduleUrl = import.meta.url;

  static onStart() {
    return { count: 0, announced: false };
  }

  static work(ctx) {
    const state = ctx.startResult;
    // Messages from the main process wait in ctx.messages until work reads them.
    for (let message = ctx.messages.tryReceive(); message !== undefined; message = ctx.messages.tryReceive()) {
      if (message === 'reset') {
        state.count = 0;
        ctx.messages.send('counter reset');
      }
    }
    state.count++;
    if (state.count > 5 && !state.announced) {
      state.announced = true;
      ctx.messages.send('reached 5');
    }
    return state.count;
  }
}

if (isMainProcess()) {
  const counter = new ResettableCounter({ workTimeout: 100 });
  counter.on('result', (count) => console.log(`count ${count}`));
  const reached = new Promise((resolve) =>
    counter.on('message', (message) => {
      console.log(`message from the counter: ${message}`);
      if (message === 'reached 5') resolve();
    }),
  );
  await counter.start();
  await new Promise((resolve) => setTimeout(resolve, 350));
  counter.sendMessage('reset');
  await reached; // no busy-wait: the main process just awaits the message
  await counter.stop();
}
