import { once } from 'node:events';
import { until } from '../helpers.js';
import { SocketServer, connectUnix, createPrivateSocketDir, encodeFrame, frameHeader, socketPath, transportStats, type FramedConnection } from '../../src/index.js';

/** A server whose connections each get their first frame recorded, with short handshake limits. */
async function server(limits: { handshakeTimeoutMs?: number; maxPendingHandshakes?: number } = {}) {
  const first: string[] = [];
  const routed: FramedConnection[] = [];
  const listening = await SocketServer.listen(socketPath(createPrivateSocketDir('prodcon-test-'), 'srv'), {
    name: 'test server',
    ...limits,
    onFirstFrame: (connection, frame) => {
      first.push(frame.body.toString());
      routed.push(connection);
      connection.setFrameHandler(() => {});
    },
  });
  return { server: listening, first, routed };
}

/** A raw socket to `path`, connected. */
async function connect(path: string) {
  const socket = connectUnix(path);
  await once(socket, 'connect');
  const closed = once(socket, 'close');
  socket.on('error', () => {});
  return { socket, closed };
}

describe('a socket server before the handshake', () => {
  it('closes a connection that sends no first frame in time, and counts it', async () => {
    const { server: listening } = await server({ handshakeTimeoutMs: 150 });
    const before = transportStats.handshakeFailures;
    const started = Date.now();
    const { closed } = await connect(listening.path);
    await closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(transportStats.handshakeFailures).toBe(before + 1);
    expect(listening.pendingHandshakes).toBe(0);
    await listening.close();
  });

  it('buffers at most a few KiB for a first frame: a longer one closes the connection when its length arrives', async () => {
    const { server: listening } = await server();
    const { socket, closed } = await connect(listening.path);
    socket.write(frameHeader(1, 60 * 1024 * 1024)); // announces 60 MB
    const badFrames = transportStats.badFrames;
    await closed;
    expect(transportStats.badFrames).toBe(badFrames + 1);
    await listening.close();
  });

  it('pushes out the oldest waiting connection when too many wait, and routes a newcomer that says hello', async () => {
    const { server: listening, first } = await server({ maxPendingHandshakes: 3 });
    const idle = [];
    for (let index = 0; index < 3; index++) idle.push(await connect(listening.path));
    const latest = await connect(listening.path); // the fourth: the oldest idle one must go
    await idle[0]!.closed;
    expect(idle[0]!.socket.destroyed).toBe(true);
    latest.socket.write(encodeFrame(1, Buffer.from('hello')));
    await until(() => first.length > 0, 'the newcomer routed');
    expect(first).toEqual(['hello']);
    expect(listening.pendingHandshakes).toBe(2);
    for (const connection of [...idle.slice(1), latest]) connection.socket.destroy();
    await listening.close();
  });
});
