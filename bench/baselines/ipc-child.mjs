// Baselines over Node's own IPC channel, one item per message.
//   node ipc-child.mjs sender <size>     sends items to its parent with process.send, honouring back-pressure
//   node ipc-child.mjs receiver          counts the messages its parent relays to it
import { makeItem } from '../lib/items.mjs';

const [role, size] = process.argv.slice(2);

if (role === 'sender') {
  let seq = 0;
  let resume;
  let paused = false;
  const pump = () => {
    for (;;) {
      if (paused) return;
      const ok = process.send(makeItem(size, seq++), () => {
        if (resume) {
          const next = resume;
          resume = undefined;
          next();
        }
      });
      if (!ok) {
        resume = pump;
        return;
      }
    }
  };
  process.on('message', (message) => {
    if (message === 'start') pump();
    // The relay's flow control: it asks the sender to pause while the receiver lags.
    if (message === 'pause') paused = true;
    if (message === 'resume' && paused) {
      paused = false;
      if (!resume) pump();
    }
    if (message === 'exit') process.exit(0);
  });
  process.send({ ready: true });
} else {
  let count = 0;
  process.on('message', (message) => {
    if (message === 'count') process.send({ count });
    else if (message === 'exit') process.exit(0);
    else count++;
  });
  process.send({ ready: true });
}
