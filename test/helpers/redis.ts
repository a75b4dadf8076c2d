import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Why Redis tests cannot run here (undefined when they can), and how to make them run. */
function redisUnavailable(): string | undefined {
  if (process.env.PRODCON_REDIS_URL || hasRedisServer()) return undefined;
  return 'no Redis: install redis-server (apt-get install redis-server) or set PRODCON_REDIS_URL';
}

/**
 * `describe` for tests that need Redis. Without one they are reported as
 * skipped, by name, with the reason; with PRODCON_REQUIRE_REDIS=1 (set by
 * .ci/run) a missing Redis fails the run instead.
 */
export function describeWithRedis(name: string, body: () => void): void {
  const missing = redisUnavailable();
  if (!missing) return describe(name, body);
  if (process.env.PRODCON_REQUIRE_REDIS === '1') {
    return describe(name, () => {
      it('has a Redis to run against (PRODCON_REQUIRE_REDIS=1)', () => {
        throw new Error(missing);
      });
    });
  }
  describe.skip(`${name} [skipped: ${missing}]`, body);
}

function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A namespace no other test uses: keys are never shared, and never flushed. */
export function freshNamespace(): string {
  return `test-${randomBytes(6).toString('hex')}`;
}

/** A redis-server of the test's own, on a free port, in a temporary directory. */
export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  /** Sends a command with redis-cli; returns its output. */
  cli(...args: string[]): string;
  /** Stops the server (SHUTDOWN: with `--appendonly yes` what it held is kept for the next start). */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory. */
  start(): Promise<void>;
  /** Stops it for good and removes its directory. */
  dispose(): Promise<void>;
}

/** Where tests reach Redis: a private server when redis-server exists, else PRODCON_REDIS_URL. */
export async function testRedis(options: { appendonly?: boolean } = {}): Promise<{ url: string; dispose(): Promise<void>; server?: PrivateRedis }> {
  if (hasRedisServer()) {
    const server = await startPrivateRedis(options);
    return { url: server.url, dispose: () => server.dispose(), server };
  }
  return { url: process.env.PRODCON_REDIS_URL!, dispose: () => Promise.resolve() };
}

export async function startPrivateRedis(options: { appendonly?: boolean } = {}): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'prodcon-redis-'));
  let child: ChildProcess | undefined;
  const cli = (...args: string[]) => execFileSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).trim();
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', options.appendonly ? 'yes' : 'no', '--daemonize', 'no'],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        if (cli('ping') === 'PONG') return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    try {
      if (options.appendonly) cli('shutdown');
      else cli('shutdown', 'nosave');
    } catch {
      running.kill('SIGKILL');
    }
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    cli,
    stop,
    start,
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
