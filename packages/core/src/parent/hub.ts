import { randomHex } from '../shared/random-hex.js';
import {
  QueueRouter,
  SocketServer,
  createPrivateSocketDir,
  readJson,
  removeStaleSocketDirs,
  socketPath,
  type Frame,
  type FramedConnection,
} from '@prodcon/ipc';
import { LinkFrame, type HelloMessage } from '../shared/protocol.js';

/**
 * The main process's end of every socket: one private directory, one server.
 * Children connect to it for their link (first frame `hello`), and writers
 * connect to it for queues that the main process consumes itself (first frame
 * `open`). The server does not keep the process alive by itself.
 */
class Hub {
  readonly directory: string;
  readonly queues = new QueueRouter();
  #server: SocketServer | undefined;
  #starting: Promise<SocketServer> | undefined;
  #awaitingLinks = new Map<string, (connection: FramedConnection, hello: HelloMessage) => void>();
  #sequence = 0;

  constructor() {
    // Directories that processes killed by a signal could not remove: once per main process, on first use.
    removeStaleSocketDirs();
    this.directory = createPrivateSocketDir();
  }

  /** The server's socket path (starting the server on first use). */
  async address(): Promise<string> {
    this.#starting ??= SocketServer.listen(socketPath(this.directory, 'main'), {
      name: 'main process',
      onFirstFrame: (connection, frame) => this.#route(connection, frame),
    }).then((server) => {
      server.unref();
      this.#server = server;
      return server;
    });
    return (await this.#starting).path;
  }

  /** The server's socket path if it is listening already. */
  get listeningAddress(): string | undefined {
    return this.#server?.path;
  }

  /** A fresh socket path in the private directory (for a consumer child's queue). */
  newSocketPath(kind: string): string {
    return socketPath(this.directory, `${kind}-${process.pid}-${++this.#sequence}`);
  }

  /** Registers a child about to start; `onLink` receives its connection after its hello. */
  expectLink(onLink: (connection: FramedConnection, hello: HelloMessage) => void): { token: string; cancel(): void } {
    const token = randomHex(16);
    this.#awaitingLinks.set(token, onLink);
    return { token, cancel: () => this.#awaitingLinks.delete(token) };
  }

  #route(connection: FramedConnection, frame: Frame): void {
    if (QueueRouter.isOpen(frame)) {
      this.queues.route(connection, frame);
      return;
    }
    if (frame.type !== LinkFrame.hello) {
      throw new Error(`unexpected first frame type ${frame.type}`);
    }
    const hello = readJson<HelloMessage>(frame);
    const onLink = this.#awaitingLinks.get(hello.token);
    if (!onLink) throw new Error('a child said hello with an unknown token');
    this.#awaitingLinks.delete(hello.token);
    onLink(connection, hello);
  }
}

let hub: Hub | undefined;

/** The hub of this process (created on first use). */
export function getHub(): Hub {
  hub ??= new Hub();
  return hub;
}

export type { Hub };
