// A redis-server of one's own (tests, the benchmark): a free port on 127.0.0.1, a temporary
// directory, no snapshots; with or without an append-only file. Never touches another server's data.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** True when a redis-server binary is on PATH. */
export function hasRedisServer() {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a private redis-server and waits for its PING.
 * @param {{ appendonly?: boolean }} options
 * @returns {Promise<{ url: string, port: number, cli(...args: string[]): string, stop(): Promise<void>, start(): Promise<void>, dispose(): Promise<void> }>}
 */
export async function startPrivateRedis(options = {}) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'prodcon-redis-'));
  let child;
  const cli = (...args) => execFileSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', options.appendonly ? 'yes' : 'no'];
    child = spawn('redis-server', args, { stdio: 'ignore' });
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
  // SHUTDOWN: with an append-only file, what the server held is written out for the next start.
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

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
