import { FramedConnection } from '../wire/connection.js';
import type { Frame } from '../wire/framing.js';
import { connectUnix } from '../wire/server.js';
import { QueueFrame, type OpenMessage } from './protocol.js';

export interface DialOptions {
  /** Names the connection in warnings. */
  name: string;
  maxFrameBytes?: number;
  onFrame(connection: FramedConnection, frame: Frame): void;
  /** The connection closed, or never opened; `error` says why when it failed (ECONNREFUSED, EAGAIN...). */
  onClose(connection: FramedConnection, error: Error | undefined): void;
}

/**
 * Connects to the host listening at `address` and introduces the writer with
 * `open`, the connection's first frame. Values go out only once the host
 * answered it (see QueueWriter).
 */
export function dialQueue(address: string, open: OpenMessage, options: DialOptions): FramedConnection {
  const socket = connectUnix(address);
  const connection: FramedConnection = new FramedConnection(socket, {
    name: options.name,
    maxFrameBytes: options.maxFrameBytes,
    onFrame: (frame) => options.onFrame(connection, frame),
    onClose: (error) => options.onClose(connection, error),
  });
  socket.once('connect', () => connection.writeJson(QueueFrame.open, open));
  return connection;
}
