import { chmod } from 'node:fs/promises';
import { createConnection, createServer, type NetConnectOpts, type Server, type Socket } from 'node:net';
import { FramedConnection } from './connection.js';
import { ProtocolError } from '../errors.js';
import { SOCKET_HIGH_WATER_MARK, type Frame } from './framing.js';
import { removeSocketFile } from './socket-dir.js';

/** How a SocketServer names its connections and routes them. */
export interface SocketServerOptions {
  /** Names connections in warnings. */
  name: string;
  /**
   * Routes a new connection by its first frame: adopt it (replace its frame
   * handler) or throw to close it.
   */
  onFirstFrame: (connection: FramedConnection, frame: Frame) => void | Promise<void>;
  maxFrameBytes?: number;
}

/**
 * A Unix socket server whose file is private to this user (mode 0600) and
 * removed when the server closes. Each connection's first frame says what it
 * is for; the owner routes it from there.
 */
export class SocketServer {
  readonly path: string;
  #server: Server;
  #connections = new Set<FramedConnection>();
  #closing: Promise<void> | undefined;

  private constructor(path: string, server: Server) {
    this.path = path;
    this.#server = server;
  }

  /** Listens on `path` (replacing a stale socket file); resolves once it listens. */
  static async listen(path: string, options: SocketServerOptions): Promise<SocketServer> {
    removeSocketFile(path);
    let instance: SocketServer | undefined;
    const server = createServer({ highWaterMark: SOCKET_HIGH_WATER_MARK }, (socket: Socket) => instance!.#accept(socket, options));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    await chmod(path, 0o600);
    instance = new SocketServer(path, server);
    return instance;
  }

  /** Stops accepting, ends every connection, removes the socket file. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      for (const connection of this.#connections) void connection.end();
    }).finally(() => removeSocketFile(this.path));
    return this.#closing;
  }

  /** Keeps (or stops keeping) the process alive while listening. */
  unref(): void {
    this.#server.unref();
  }

  #accept(socket: Socket, options: SocketServerOptions): void {
    let routed = false;
    const connection: FramedConnection = new FramedConnection(socket, {
      name: `${options.name} connection`,
      maxFrameBytes: options.maxFrameBytes,
      onFrame: (frame) => {
        if (routed) throw new ProtocolError('ERR_PROTOCOL', 'frame after routing reached the server');
        routed = true;
        return options.onFirstFrame(connection, frame);
      },
      onClose: () => this.#connections.delete(connection),
    });
    this.#connections.add(connection);
  }
}

/** Connects to a Unix socket with prodcon's write buffer size (Node's typings omit the option it accepts). */
export function connectUnix(path: string): Socket {
  return createConnection({ path, writableHighWaterMark: SOCKET_HIGH_WATER_MARK } as NetConnectOpts);
}
