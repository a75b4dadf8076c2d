import { randomBytes } from 'node:crypto';
import { hasRedisServer, startPrivateRedis as startServer } from '../../scripts/lib/private-redis.mjs';

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
  // Skipped only outside CI on a machine without Redis (a contributor's laptop): the reason is in the
  // name jest prints; .ci/run sets PRODCON_REQUIRE_REDIS=1 and installs redis-server, so CI never skips.
  describe.skip(`${name} [skipped: ${missing}]`, body);
}

/** A namespace no other test uses: keys are never shared, and never flushed. */
export function freshNamespace(): string {
  return `test-${randomBytes(6).toString('hex')}`;
}

/** A redis-server of the test's own, on a free port, in a temporary directory (scripts/lib/private-redis.mjs). */
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

export function startPrivateRedis(options: { appendonly?: boolean } = {}): Promise<PrivateRedis> {
  return startServer(options) as Promise<PrivateRedis>;
}

/** Where tests reach Redis: a private server when redis-server exists, else PRODCON_REDIS_URL. */
export async function testRedis(): Promise<{ url: string; dispose(): Promise<void> }> {
  if (hasRedisServer()) return startPrivateRedis();
  return { url: process.env.PRODCON_REDIS_URL!, dispose: () => Promise.resolve() };
}
