import { execFileSync } from 'node:child_process';
import { carriesMarker, ensureRunMarker } from './run-marker.mjs';

/**
 * Live prodcon worker processes started by this test run (zombies excluded:
 * they are dead, only not yet reaped). Workers of other applications or of
 * another test run on the same machine are not this run's business. With
 * `root`, those whose command line names it instead (a project outside the
 * repository, whose processes do not inherit this run's environment).
 */
export function liveWorkers(root?: string): Array<{ pid: number; args: string }> {
  const marker = ensureRunMarker();
  const output = execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' });
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.includes('--prodcon-worker=') && (root === undefined || line.includes(root)))
    .map((line) => {
      const [pid, stat, ...rest] = line.split(/\s+/);
      return { pid: Number(pid), stat: stat!, args: rest.join(' ') };
    })
    .filter((row) => !row.stat.startsWith('Z') && (root !== undefined || carriesMarker(row.pid, marker)))
    .map(({ pid, args }) => ({ pid, args }));
}

/** The state letter of a process (R, S, Z...), or undefined when it no longer exists. */
export function processState(pid: number): string | undefined {
  try {
    return execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** True when the process is gone or a zombie (dead, waiting to be reaped). */
export function isDead(pid: number): boolean {
  const state = processState(pid);
  return state === undefined || state.startsWith('Z');
}

/** Polls the process table (not a sleep-as-synchronisation: there is no event for another process's death). */
export async function waitUntilDead(pids: number[], timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = pids.filter((pid) => !isDead(pid));
    if (alive.length === 0) return;
    if (Date.now() > deadline) throw new Error(`processes still alive after ${timeoutMs} ms: ${alive.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  const stat = execFileSync('cat', [`/proc/${pid}/stat`], { encoding: 'utf8' });
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100;
}

/** Resident memory of a process (bytes), from /proc. */
export function rssBytes(pid: number): number {
  const status = execFileSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' });
  const kilobytes = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!kilobytes) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kilobytes[1]) * 1024;
}
