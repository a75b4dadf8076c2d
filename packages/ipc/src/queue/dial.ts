import { FramedConnection } from '../wire/connection.js';
import type { Frame } from '../wire/framing.js';
import { connectUnix } from '../wire/server.js';
import { QueueFrame, type OpenMessage } from './protocol.js';

/** A writer's connection to a queue host, being opened. */
export interface DialedQueue {
  readonly connection: FramedConnection;
  /** Settles once the connection is open (true) or closed before it opened (false). */
  readonly opened: Promise<boolean>;
}

export interface DialOptions {
  /** Names the connection in warnings. */
  name: string;
  maxFrameBytes?: number;
  onFrame(connection: FramedConnection, frame: Frame): void;
  onClose(connection: FramedConnection): void;
  /** The socket connected and `open` was sent: values may go out on it now. */
  onOpen(connection: FramedConnection): void;
}

/** Connects to the host listening at `address` and introduces the writer with `open`. */
export function dialQueue(address: string, open: OpenMessage, options: DialOptions): DialedQueue {
  const socket = connectUnix(address);
  const connection: FramedConnection = new FramedConnection(socket, {
    name: options.name,
    maxFrameBytes: options.maxFrameBytes,
    onFrame: (frame) => options.onFrame(connection, frame),
    onClose: () => options.onClose(connection),
  });
  let settle!: (open: boolean) => void;
  const opened = new Promise<boolean>((resolve) => (settle = resolve));
  connection.onClosed(() => settle(false));
  socket.once('connect', () => {
    settle(true);
    connection.writeJson(QueueFrame.open, open);
    options.onOpen(connection);
  });
  return { connection, opened };
}
