import type { FramedConnection } from '../wire/connection.js';
import { ProtocolError } from '../errors.js';
import { readJson, type Frame } from '../wire/framing.js';
import type { QueueHost } from './host.js';
import { QueueFrame, type OpenMessage, type StateMessage } from './protocol.js';
import { SocketServer } from '../wire/server.js';

/**
 * The queue endpoint of one process: it hands each writer connection to the
 * host of the queue its `open` frame names. A process hosts any number of
 * queues behind one socket.
 */
export class QueueRouter {
  #hosts = new Map<string, QueueHost>();

  /** Routes writers that open `host.queueId` to `host`. */
  add(host: QueueHost): void {
    this.#hosts.set(host.queueId, host);
  }

  /** Stops routing to the queue (new writers for it are refused). */
  remove(queueId: string): void {
    this.#hosts.delete(queueId);
  }

  /** The host of a queue, if it is routed here. */
  get(queueId: string): QueueHost | undefined {
    return this.#hosts.get(queueId);
  }

  /** True for the first frame of a writer connection. */
  static isOpen(frame: Frame): boolean {
    return frame.type === QueueFrame.open;
  }

  /** Routes a connection whose first frame is `open`. Unknown queues are answered `gone`. */
  route(connection: FramedConnection, frame: Frame): void {
    if (frame.type !== QueueFrame.open) {
      throw new ProtocolError('ERR_QUEUE_PROTOCOL', `expected an open frame, got type ${frame.type}`);
    }
    const open = readJson<OpenMessage>(frame);
    const host = this.#hosts.get(open.queueId);
    if (!host) {
      connection.writeJson(QueueFrame.state, { state: 'gone' } satisfies StateMessage);
      void connection.end();
      return;
    }
    host.attach(connection, open);
  }

  /** Listens on `path` for writer connections only. */
  listen(path: string, name: string): Promise<SocketServer> {
    return SocketServer.listen(path, { name, onFirstFrame: (connection, frame) => this.route(connection, frame) });
  }
}
