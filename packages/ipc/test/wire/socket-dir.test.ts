import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateSocketDir, removeStaleSocketDirs } from '../../src/index.js';
import { hostQueue } from '../helpers.js';

describe('sockets', () => {
  it('live in a directory only this user can enter, and are readable by this user only', async () => {
    const queue = await hostQueue({ capacity: 1 });
    expect(statSync(queue.directory).mode & 0o777).toBe(0o700);
    const socket = statSync(queue.address);
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
    await queue.close();
    expect(() => statSync(queue.address)).toThrow(/ENOENT/);
  });
});

describe('socket directories left behind', () => {
  const prefix = 'prodcon-stale-test-';

  it('are removed when their process is gone, and kept while it lives', () => {
    // A process that existed and is gone now: its id is free (unless reused meanwhile, which the check tolerates).
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    const left = join(tmpdir(), `${prefix}${deadPid}-abc123`);
    mkdirSync(left, { recursive: true });
    const mine = createPrivateSocketDir(prefix);
    const living = join(tmpdir(), `${prefix}${process.ppid}-def456`); // our parent lives
    mkdirSync(living, { recursive: true });
    try {
      expect(removeStaleSocketDirs(prefix)).toBeGreaterThanOrEqual(1);
      expect(existsSync(left)).toBe(false);
      expect(existsSync(mine)).toBe(true);
      expect(existsSync(living)).toBe(true);
    } finally {
      for (const path of [left, mine, living]) rmSync(path, { recursive: true, force: true });
    }
  });
});
