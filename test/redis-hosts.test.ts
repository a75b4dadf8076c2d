/**
 * Several "hosts": separate main processes, each with its own temporary
 * directory, environment and process group, sharing only the URL of a
 * private redis-server. One of them is killed whole (SIGKILL to its group).
 * Each host carries this test run's marker in its environment (its workers
 * inherit it), so that the leak checks see what a host leaves behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ConsumerPool, WorkerError, type ReadyQueue } from '@prodcon/core';
import { closeRedis, onTransportError, redisQueue } from '@prodcon/redis';
import { Paced, Summer } from './fixtures/pool-workers.mjs';
import { collect, eventually } from './helpers/events.js';
import { liveWorkers } from './helpers/processes.js';
import { ensureRunMarker } from './helpers/run-marker.mjs';
import { describeWithRedis, freshNamespace, startPrivateRedis, type PrivateRedis } from './helpers/redis.js';

interface Host {
  readonly process: ChildProcess;
  /** What the host said on stdout, one JSON document per line. */
  readonly said: Array<Record<string, unknown>>;
  when(predicate: (message: Record<string, unknown>) => boolean): Promise<void>;
  /** Kills the host's whole process group (its main process and its workers). */
  kill(): void;
  exited: Promise<void>;
}

const hostFixture = new URL('./fixtures/hosts/host.mjs', import.meta.url).pathname;
const directories: string[] = [];

function startHost(config: Record<string, unknown>): Host {
  const directory = mkdtempSync(join(tmpdir(), 'prodcon-host-'));
  directories.push(directory);
  ensureRunMarker(); // in process.env (jest's global setup set it already): the host and its workers inherit it
  const child = spawn(process.execPath, [hostFixture], {
    detached: true, // a process group of its own: the "machine" dies whole
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, TMPDIR: directory, PRODCON_TEST_HOST: JSON.stringify(config) },
  });
  const said: Array<Record<string, unknown>> = [];
  const listeners = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      said.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      return; // a line cut by the kill
    }
    for (const listener of listeners) listener();
  });
  return {
    process: child,
    said,
    when: (predicate) =>
      new Promise((resolve) => {
        const check = () => {
          if (!said.some(predicate)) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        check();
      }),
    kill: () => process.kill(-child.pid!, 'SIGKILL'),
    exited: new Promise((resolve) => child.once('exit', () => resolve())),
  };
}

const range = (count: number) => Array.from({ length: count }, (_, index) => index);

describeWithRedis('queues across hosts (separate main processes sharing only the Redis URL)', () => {
  let redis: PrivateRedis;
  const hosts: Host[] = [];

  beforeAll(async () => {
    redis = await startPrivateRedis();
  });
  afterEach(async () => {
    for (const host of hosts.splice(0)) {
      if (host.process.exitCode === null && host.process.signalCode === null) host.kill();
      await host.exited;
    }
  });
  afterAll(async () => {
    await closeRedis();
    await redis.dispose();
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  });

  it('a pool member whose whole host is killed mid-batch: its items go to the other hosts within 5 s, each worked at least once', async () => {
    const namespace = freshNamespace();
    const config = { url: redis.url, namespace, capacity: 100 };
    const work: ReadyQueue<number> = redisQueue('work', { url: redis.url, namespace, capacity: 100 });
    const lost: string[] = [];
    const stopWatching = onTransportError((error) => lost.push(`${error.code}: ${error.message}`));
    // Host B: one member, slow; it takes entries first, since this host's members start only after it dies.
    const hostB = startHost({ ...config, role: 'pool', size: 1, batch: 10, delay: 50 });
    hosts.push(hostB);
    await hostB.when((message) => message.ready === true);
    const putting = Promise.all(range(300).map((item) => work.put(item)));
    await hostB.when((message) => Array.isArray(message.worked));
    hostB.kill();
    const killedAt = performance.now();
    await hostB.exited;
    // This host: two members of the same pool queue.
    const pool = new ConsumerPool(Paced, { size: 2, maxBufferSize: 10, workTimeout: 0, queue: work });
    const worked = collect<number[]>(pool, 'result');
    const news = collect<Error>(pool, 'error'); // the members hear of host B's death: news, not a failure
    await pool.start();
    await putting;
    const workedByB = hostB.said.flatMap((message) => (message.worked as number[] | undefined) ?? []);
    const all = () => new Set([...workedByB, ...worked.flat()]);
    await eventually(() => all().size === 300, 'every item worked at least once', 15_000);
    const redelivered = performance.now() - killedAt;
    await pool.join();
    stopWatching();
    expect([...all()].sort((a, b) => a - b)).toEqual(range(300));
    // Duplicates: only what host B held when it died (two entries of at most 25 items).
    const twice = worked.flat().filter((item) => workedByB.includes(item));
    expect(twice.length).toBeLessThanOrEqual(50);
    // Lease 2.5 s + checker 0.5 s, then the work itself (at most 300 items by two members at 10 per 50 ms).
    expect(redelivered).toBeLessThan(5_000 + 1_000);
    expect(lost.join('\n')).toMatch(/ERR_HOST_LOST: queue 'work': 'Paced-1@/);
    expect(news.length).toBeGreaterThan(0);
    for (const error of news) {
      expect(error).toBeInstanceOf(WorkerError);
      expect(error).toMatchObject({ code: 'ERR_HOST_LOST', fatal: false });
      expect(error.message).toMatch(/^Worker 'Paced-[12]' \(still running\): queue 'work': 'Paced-1@/);
    }
    expect(pool.getState()).toBe('stopped'); // joined, not failed
  }, 40_000);

  it('a pipeline across three hosts ends by itself when its source ends: every item through, every process gone', async () => {
    const namespace = freshNamespace();
    const config = { url: redis.url, namespace };
    // This host: the last stage, on `doubled`.
    const tally = new Summer({ maxBufferSize: 100, workTimeout: 10, queue: redisQueue('doubled', config), stopWhenUpstreamEnds: true });
    const totals = collect<{ count: number; sum: number }>(tally, 'result');
    await tally.start();
    const doubler = startHost({ ...config, role: 'double' });
    hosts.push(doubler);
    await doubler.when((message) => message.ready === true);
    const source = startHost({ ...config, role: 'source', count: 5_000 });
    hosts.push(source);
    await Promise.all([source.when((message) => message.done === true), doubler.when((message) => message.done === true)]);
    await eventually(() => tally.getState() === 'stopped', 'the last stage drained and stopped', 10_000);
    const count = totals.reduce((sum, total) => sum + total.count, 0);
    const sum = totals.reduce((total, each) => total + each.sum, 0);
    expect(count).toBe(5_000);
    expect(sum).toBe(2 * ((5_000 - 1) * 5_000) / 2);
    await Promise.all([source.exited, doubler.exited]);
    expect(liveWorkers()).toEqual([]);
  }, 40_000);
});
