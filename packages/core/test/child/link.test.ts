import { CodecId, SocketServer, createPrivateSocketDir, encodeBatch, socketPath, type FramedConnection } from '@prodcon/ipc';
import { rmSync } from 'node:fs';
import { ChildLink } from '../../src/child/link.js';
import { LinkFrame, type ParentControl } from '../../src/shared/protocol.js';

describe("a child's link to the main process", () => {
  it('keeps the control messages that arrive with the spec until the runtime takes them', async () => {
    const directory = createPrivateSocketDir('prodcon-link-test-');
    let parentEnd: FramedConnection | undefined;
    // The main process's side: on hello, the spec and two control messages in one write.
    const server = await SocketServer.listen(socketPath(directory, 'link'), {
      name: 'test hub',
      onFirstFrame: (connection) => {
        parentEnd = connection;
        connection.setFrameHandler(() => {});
        const init = encodeBatch([{ name: 'w', codec: 'auto' }], CodecId.json, 'args');
        connection.writeDataFrame(LinkFrame.init, init.codecId, init.bytes);
        connection.writeJson(LinkFrame.control, { type: 'wantResults', on: true } satisfies ParentControl);
        connection.writeJson(LinkFrame.control, { type: 'stop' } satisfies ParentControl);
      },
    });
    const link = ChildLink.connect(server.path, 'token', () => {});
    try {
      await link.init; // resumes after the read that carried all three frames was dispatched
      const received: ParentControl[] = [];
      link.onReceive({ control: (message) => received.push(message), messages: () => {} });
      expect(received).toEqual([{ type: 'wantResults', on: true }, { type: 'stop' }]);
    } finally {
      parentEnd?.destroy();
      await link.connection.end();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
