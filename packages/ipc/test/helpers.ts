import { setImmediate as nextTurn } from 'node:timers/promises';
import { QueueHost, QueueRouter, QueueWriter, createPrivateSocketDir, socketPath, type SocketServer } from '../src/index.js';

/** A queue hosted in this process behind a real Unix socket, and a way to make writers for it. */
export async function hostQueue(options: { capacity: number; lossy?: boolean; ready?: boolean; maxWriters?: number }) {
  const directory = createPrivateSocketDir('prodcon-test-');
  const host = new QueueHost({ queueId: 'q1', name: 'test queue', lossy: false, ...options });
  const router = new QueueRouter();
  router.add(host);
  const address = socketPath(directory, 'q1');
  const server: SocketServer = await router.listen(address, 'test queue');
  const writers: QueueWriter[] = [];
  const writer = (name = 'w', codec?: 'auto' | 'json' | 'v8' | 'superjson') => {
    const created = new QueueWriter({
      queueId: 'q1',
      lossy: options.lossy ?? false,
      capacity: options.capacity,
      writerName: name,
      codec,
    });
    created.bind(address);
    writers.push(created);
    return created;
  };
  const close = async () => {
    host.shutdown();
    await Promise.all(writers.map((created) => created.end()));
    await server.close();
  };
  return { directory, host, address, server, writer, close };
}

/** Waits until `condition` holds, turning the event loop (no fixed sleeps); fails after `turns`. */
export async function until(condition: () => boolean, what: string, turns = 20_000): Promise<void> {
  for (let turn = 0; turn < turns; turn++) {
    if (condition()) return;
    await nextTurn();
  }
  throw new Error(`timed out waiting for: ${what}`);
}
