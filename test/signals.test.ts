import { execaNode, type ResultPromise } from 'execa';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lines } from './helpers/lines.js';
import { waitUntilDead } from './helpers/processes.js';

const service = fileURLToPath(new URL('./fixtures/mains/service.mjs', import.meta.url));

interface Report {
  event: string;
  name?: string;
  produced?: number;
  relayed?: number;
  consumed?: number;
  accepted?: number;
  pids?: number[];
}

/** Starts the service as the leader of its own process group (like a shell's foreground job). */
async function startService(mode: string, env: Record<string, string> = {}) {
  const main = execaNode(service, [mode], { detached: true, buffer: false, reject: false, stderr: 'pipe', env });
  const output = lines(main.stdout!);
  const { pids } = JSON.parse(await output.waitFor(/"event":"ready"/)) as Report;
  await output.waitFor(/"event":"flowing"/); // items made it through every stage: the signal comes mid-stream
  return { main, output, pids: pids!, pid: main.pid! };
}

/** The JSON events the service printed. */
function events(seen: string[]): Report[] {
  return seen.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Report);
}

function socketDirsOf(pid: number, dir = tmpdir()): string[] {
  return readdirSync(dir).filter((entry) => entry.startsWith(`prodcon-${pid}-`));
}

/** Every child ran onStop, and nothing a lossless queue accepted was lost. */
function expectGracefulStop(reports: Report[]) {
  const byName = new Map(reports.filter((report) => report.event === 'report').map((report) => [report.name!, report]));
  expect([...byName.keys()].sort()).toEqual(['Relay-1', 'Relay-2', 'Ticks', 'fed-1', 'fed-2', 'sink']);
  const produced = byName.get('Ticks')!.produced!;
  const relayed = byName.get('Relay-1')!.relayed! + byName.get('Relay-2')!.relayed!;
  expect(produced).toBeGreaterThan(0);
  expect(relayed).toBe(produced);
  expect(byName.get('sink')!.consumed).toBe(produced);
  const accepted = reports.find((report) => report.event === 'exit')!.accepted!;
  expect(accepted).toBeGreaterThan(0);
  expect(byName.get('fed-1')!.consumed! + byName.get('fed-2')!.consumed!).toBe(accepted);
}

async function finished(main: ResultPromise) {
  return (await main) as unknown as { exitCode?: number; signal?: string };
}

describe('signals to a running service', () => {
  it('Ctrl-C (SIGINT to the whole process group): every worker stops in order, nothing accepted is lost, exit 130', async () => {
    const { main, output, pids, pid } = await startService('default');
    process.kill(-pid, 'SIGINT');
    const result = await finished(main);
    expect(result.exitCode).toBe(130);
    expectGracefulStop(events(output.seen));
    await waitUntilDead(pids, 5000);
    expect(socketDirsOf(pid)).toEqual([]);
  });

  it('SIGTERM to the main process (a service manager, docker stop): the same, exit 143', async () => {
    const { main, output, pids, pid } = await startService('default');
    process.kill(pid, 'SIGTERM');
    const result = await finished(main);
    expect(result.exitCode).toBe(143);
    expectGracefulStop(events(output.seen));
    await waitUntilDead(pids, 5000);
    expect(socketDirsOf(pid)).toEqual([]);
  });

  it('a second signal during the stop kills the children at once', async () => {
    const { main, output, pids, pid } = await startService('hang'); // the fed pool's members hang in onStop
    process.kill(-pid, 'SIGINT');
    await output.waitFor(/"name":"sink"/); // the graceful stop is under way (the pipeline finished)
    const before = Date.now();
    process.kill(-pid, 'SIGINT');
    const result = await finished(main);
    expect(result.exitCode).toBe(130);
    expect(Date.now() - before).toBeLessThan(2000);
    await waitUntilDead(pids, 3000);
    expect(socketDirsOf(pid)).toEqual([]);
  });

  it("leaves an application's own listener in control: its stops work, since the children survived the Ctrl-C", async () => {
    const { main, output, pids } = await startService('own');
    process.kill(-main.pid!, 'SIGINT');
    const result = await finished(main);
    expect(result.exitCode).toBe(0);
    expect(output.seen.some((line) => line.includes('own handler done'))).toBe(true);
    expectGracefulStop(events(output.seen));
    await waitUntilDead(pids, 5000);
  });

  it('with handleSignals off, the main process dies of the signal; its children stop by themselves, and the next run removes its socket directory', async () => {
    // A temporary directory of its own: any other prodcon process starting meanwhile (this suite's, another
    // application's) would sweep the dead process's directory from the shared one before the test looks.
    const TMPDIR = mkdtempSync(join(tmpdir(), 'signals-'));
    const { main, output, pids, pid } = await startService('unhandled', { TMPDIR });
    process.kill(pid, 'SIGTERM');
    const result = await finished(main);
    expect(result.signal).toBe('SIGTERM');
    await waitUntilDead(pids, 8000); // lifelines: the link closed, so each child ran onStop and exited
    expect(output.seen.length).toBeGreaterThan(0);
    expect(socketDirsOf(pid, TMPDIR)).toHaveLength(1); // no exit hook ran
    const orphan = fileURLToPath(new URL('./fixtures/mains/orphan.mjs', import.meta.url));
    const next = execaNode(orphan, ['exit'], { reject: false, env: { TMPDIR } });
    const { stdout, stderr, exitCode } = await next;
    if (!String(stdout)) throw new Error(`orphan.mjs: ${exitCode} ${String(stderr)}`);
    await waitUntilDead((JSON.parse(String(stdout)) as { pids: number[] }).pids, 8000);
    expect(socketDirsOf(pid, TMPDIR)).toEqual([]);
    rmSync(TMPDIR, { recursive: true, force: true });
  });
});
