import { once } from 'node:events';
import type { Socket } from 'node:net';
import { CodecId, FramedConnection, QueueFrame, connectUnix, encodeBatch, type Frame } from '@prodcon/ipc';

/** A queue writer that speaks the protocol by hand, so that a test can break it. */
export async function rawWriter(address: string, queueId: string, name = 'rogue') {
  const frames: Frame[] = [];
  const socket = connectUnix(address);
  const connection = new FramedConnection(socket, { name: 'raw writer', onFrame: (frame) => void frames.push(frame) });
  await once(socket, 'connect');
  connection.writeJson(QueueFrame.open, { queueId, writer: name, lossy: false });
  const sendItems = (values: unknown[]) =>
    connection.writeDataFrame(QueueFrame.items, CodecId.json, encodeBatch(values, CodecId.json, 'item').bytes);
  return { connection, frames, sendItems };
}

/** Opens connections to `address` until the server's listen backlog is full (a connect fails with EAGAIN); returns them. */
export async function fillBacklog(address: string, most = 4096): Promise<Socket[]> {
  const open: Socket[] = [];
  for (let index = 0; index < most; index++) {
    const socket = connectUnix(address);
    const outcome = await connectOutcome(socket);
    if (outcome === 'EAGAIN') return open;
    if (outcome !== 'connected') throw new Error(`flooding ${address}: ${String(outcome)}`);
    socket.on('error', () => {});
    open.push(socket);
  }
  throw new Error(`the backlog of ${address} took ${most} connections and was still not full`);
}

/** True when a connection to `address` fails with EAGAIN now (its listen backlog is full). */
export async function backlogFull(address: string): Promise<boolean> {
  const socket = connectUnix(address);
  const outcome = await connectOutcome(socket);
  socket.destroy();
  return outcome === 'EAGAIN';
}

/** 'connected', or the code of the error the connection attempt failed with. */
function connectOutcome(socket: Socket): Promise<string | undefined> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
  });
}

/** Where writers reach a running consumer's queue (its socket, and the id its host knows it by). */
export function queueAddress(queue: object): { address: string; queueId: string } {
  const binding = (queue as { binding(): { address: string | null; queueId: string } }).binding();
  if (!binding.address || binding.address === 'pending') throw new Error('the queue is not hosted on a socket now');
  return { address: binding.address, queueId: binding.queueId };
}
