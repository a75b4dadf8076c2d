import { Redis, type RedisOptions } from 'ioredis';
import { logTransportWarning, type EngineBinding } from '@prodcon/ipc';
import { redisErrors } from './errors.js';
import { announce } from './events.js';
import { allKeys, type QueueKeys } from './keys.js';
import { SCRIPTS, scriptSource, type ScriptName } from './lua/index.js';

/** Environment variables that hold the credentials (never the URL: it travels to every worker). */
export const CREDENTIAL_ENV = { username: 'PRODCON_REDIS_USERNAME', password: 'PRODCON_REDIS_PASSWORD' } as const;

type ScriptCall = (...args: Array<string | number | Buffer>) => Promise<unknown>;

/** Where a queue is, as its sinks and sources reach it: its binding, the server, its keys, its name for messages. */
export interface QueueTarget {
  readonly binding: EngineBinding;
  readonly endpoint: RedisEndpoint;
  readonly keys: QueueKeys;
  readonly queue: string;
}

/**
 * Options every connection shares: RESP2 (reply shapes do not depend on the
 * client's default protocol), credentials from the environment, and
 * commands that wait through an outage instead of failing (lossless writers
 * must not lose what they hold; the scripts make a re-sent call harmless).
 */
function baseOptions(name: string): RedisOptions {
  return {
    protocol: 2,
    username: process.env[CREDENTIAL_ENV.username] || undefined,
    password: process.env[CREDENTIAL_ENV.password] || undefined,
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    connectionName: name,
    lazyConnect: false,
  };
}

/**
 * One Redis server as this process uses it: a command connection (scripts,
 * autopipelined), a subscriber connection shared by every queue's event
 * channel, and one dedicated connection per blocking reader.
 */
export class RedisEndpoint {
  readonly url: string;
  readonly command: Redis;
  #subscriber: Redis | undefined;
  /** The channels followed: each queue's binding (its news names it) and listeners. */
  #channels = new Map<string, { binding: EngineBinding; listeners: Set<(message: string) => void> }>();
  #checked: Promise<void> | undefined;
  #blocking = new Set<Redis>();
  #closed = false;

  constructor(url: string) {
    this.url = url;
    this.command = new Redis(url, { ...baseOptions('prodcon'), enableAutoPipelining: true });
    this.command.on('error', (error: Error) => this.#warn(error));
    defineScripts(this.command);
  }

  /**
   * Resolves once the server answered and its memory policy was checked;
   * rejects with ERR_REDIS_EVICTION_POLICY when the server may evict keys
   * (a queue key evicted is a queue lost without a trace).
   */
  ready(): Promise<void> {
    this.#checked ??= (async () => {
      const info = await this.command.info('memory');
      const policy = /maxmemory_policy:(\S+)/.exec(info)?.[1] ?? 'noeviction';
      if (policy !== 'noeviction') throw redisErrors.evictionPolicy(this.url, policy);
    })();
    return this.#checked;
  }

  /** Runs a script on a queue's keys. After `close()` (even for a call already under way): ERR_TRANSPORT_CLOSED. */
  run(script: ScriptName, keys: QueueKeys, args: Array<string | number | Buffer>): Promise<unknown> {
    if (this.#closed) return Promise.reject(redisErrors.closed(this.url));
    return runScript(this.command, script, keys, args).catch((error: unknown) => {
      throw this.#closed ? redisErrors.closed(this.url) : error;
    });
  }

  /**
   * A connection of its own for one blocking reader. ioredis would re-send
   * an interrupted blocking read after a reconnect, and its promise might
   * never settle: the reader does not want that (its watchdog restarts the
   * read instead).
   */
  blocking(name: string): Redis {
    const connection = new Redis(this.url, { ...baseOptions(name), autoResendUnfulfilledCommands: false });
    connection.on('error', (error: Error) => this.#warn(error));
    defineScripts(connection);
    this.#blocking.add(connection);
    return connection;
  }

  /** Lets go of a blocking connection. */
  release(connection: Redis): void {
    this.#blocking.delete(connection);
    connection.disconnect();
  }

  /**
   * Calls `listener` for every message on the channel of `target`'s queue
   * until the returned function is called. News on it (a host lost, a reset)
   * is announced to the whole process, once.
   */
  subscribe(target: QueueTarget, listener: (message: string) => void): () => void {
    if (!this.#subscriber) {
      this.#subscriber = new Redis(this.url, baseOptions('prodcon-events'));
      this.#subscriber.on('error', (error: Error) => this.#warn(error));
      this.#subscriber.on('message', (from: string, message: string) => {
        const followed = this.#channels.get(from);
        if (!followed) return;
        announce(followed.binding, message);
        for (const each of followed.listeners) each(message);
      });
    }
    const channel = target.keys.channel;
    let followed = this.#channels.get(channel);
    if (!followed) {
      followed = { binding: target.binding, listeners: new Set() };
      this.#channels.set(channel, followed);
      void this.#subscriber.subscribe(channel).catch((error: Error) => this.#warn(error));
    }
    const { listeners } = followed;
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size > 0 || this.#closed) return;
      this.#channels.delete(channel);
      void this.#subscriber?.unsubscribe(channel).catch(() => {});
    };
  }

  /** Closed by `close()`: commands on it will not be answered any more. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Closes every connection (pending commands are abandoned). */
  close(): void {
    this.#closed = true;
    for (const connection of this.#blocking) connection.disconnect();
    this.#blocking.clear();
    this.#subscriber?.disconnect();
    this.command.disconnect();
  }

  #lastWarning = 0;
  #warn(error: Error): void {
    // One line per outage, not one per reconnect attempt.
    if (this.#closed || Date.now() - this.#lastWarning < 10_000) return;
    this.#lastWarning = Date.now();
    logTransportWarning(`Redis at ${this.url}: ${error.message}`);
  }
}

function defineScripts(connection: Redis): void {
  for (const name of Object.keys(SCRIPTS) as ScriptName[]) {
    connection.defineCommand(name, { numberOfKeys: 7, lua: scriptSource(name) });
  }
}

/** Runs a script on a queue's keys, on `connection` (ordered after what was sent on it before). */
export function runScript(connection: Redis, script: ScriptName, keys: QueueKeys, args: Array<string | number | Buffer>): Promise<unknown> {
  const call = (connection as unknown as Record<ScriptName, ScriptCall>)[script];
  return call.call(connection, ...allKeys(keys), keys.channel, ...args);
}
