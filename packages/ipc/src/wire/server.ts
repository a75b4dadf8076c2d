import { chmod } from 'node:fs/promises';
import { createConnection, createServer, type NetConnectOpts, type Server, type Socket } from 'node:net';
import { FramedConnection } from './connection.js';
import { ProtocolError } from '../errors.js';
import { SOCKET_HIGH_WATER_MARK, type Frame } from './framing.js';
import { removeSocketFile } from './socket-dir.js';
import { logTransportWarning, transportStats } from './stats.js';

/**
 * The first frame of a connection is its handshake (a child's `hello`, a
 * writer's `open`: a few hundred bytes of JSON). Until it arrived, a
 * connection may make the server buffer this much at most...
 */
const HANDSHAKE_MAX_BYTES = 8 * 1024;
/** ...and must send it within this time (a real peer sends it the moment it connects)... */
const HANDSHAKE_TIMEOUT_MS = 5000;
/** ...and at most this many connections wait for theirs: a newcomer beyond it pushes out the oldest. */
const MAX_PENDING_HANDSHAKES = 64;

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
  /** See HANDSHAKE_TIMEOUT_MS (tests shorten it). */
  handshakeTimeoutMs?: number;
  /** See MAX_PENDING_HANDSHAKES. */
  maxPendingHandshakes?: number;
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
  /** Connections still waiting for their first frame, oldest first, with their deadline timers. */
  #handshaking = new Map<FramedConnection, NodeJS.Timeout>();
  #closing: Promise<void> | undefined;

  private constructor(path: string, server: Server) {
    this.path = path;
    this.#server = server;
  }

  /** Listens on `path` (replacing a stale socket file); resolves once it listens. */
  static async listen(path: string, options: SocketServerOptions): Promise<SocketServer> {
    removeSocketFile(path);
    // The instance exists before the server listens: a peer already retrying (a writer waiting for its host)
    // can connect between the listen and the chmod below, and must find someone to accept it.
    const server = createServer({ highWaterMark: SOCKET_HIGH_WATER_MARK }, (socket: Socket) => instance.#accept(socket, options));
    const instance = new SocketServer(path, server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    await chmod(path, 0o600);
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

  /** Connections accepted and not yet past their first frame. */
  get pendingHandshakes(): number {
    return this.#handshaking.size;
  }

  #accept(socket: Socket, options: SocketServerOptions): void {
    let routed = false;
    const connection: FramedConnection = new FramedConnection(socket, {
      name: `${options.name} connection`,
      maxFrameBytes: options.maxFrameBytes,
      firstFrameMaxBytes: HANDSHAKE_MAX_BYTES,
      onFrame: (frame) => {
        if (routed) throw new ProtocolError('ERR_PROTOCOL', 'frame after routing reached the server');
        routed = true;
        this.#handshakeDone(connection);
        return options.onFirstFrame(connection, frame);
      },
      onClose: () => {
        this.#connections.delete(connection);
        this.#handshakeDone(connection);
      },
    });
    this.#connections.add(connection);
    this.#awaitHandshake(connection, options);
  }

  #awaitHandshake(connection: FramedConnection, options: SocketServerOptions): void {
    const limit = options.maxPendingHandshakes ?? MAX_PENDING_HANDSHAKES;
    if (this.#handshaking.size >= limit) {
      // Push out the oldest: a real peer sends its first frame at once, so the oldest waiting is the likeliest idle.
      const oldest = this.#handshaking.keys().next().value!;
      this.#refuse(oldest, `more than ${limit} connections were waiting for their first frame`);
    }
    const timeout = options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS;
    const timer = setTimeout(() => this.#refuse(connection, `no first frame within ${timeout} ms`), timeout);
    timer.unref();
    this.#handshaking.set(connection, timer);
  }

  #refuse(connection: FramedConnection, why: string): void {
    this.#handshakeDone(connection);
    transportStats.handshakeFailures++;
    logTransportWarning(`closing ${connection.name}: ${why}`);
    connection.destroy();
  }

  #handshakeDone(connection: FramedConnection): void {
    const timer = this.#handshaking.get(connection);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#handshaking.delete(connection);
  }
}

/** Connects to a Unix socket with prodcon's write buffer size (Node's typings omit the option it accepts). */
export function connectUnix(path: string): Socket {
  return createConnection({ path, writableHighWaterMark: SOCKET_HIGH_WATER_MARK } as NetConnectOpts);
}
