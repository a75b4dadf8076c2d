import { chmodSync, lstatSync, mkdtempSync, readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Unix socket paths are limited to ~107 bytes; leave room for the file name. */
const MAX_DIR_LENGTH = 80;

const directoriesToRemove = new Set<string>();
let exitHookInstalled = false;

/** Where socket directories are made: the temporary directory, unless its path is too long for sockets. */
function socketBase(): string {
  const base = tmpdir();
  return base.length > MAX_DIR_LENGTH ? '/tmp' : base;
}

/**
 * Creates a directory that only this user can enter (mode 0700) for the
 * sockets of one prodcon run, and removes it when this process exits. Its
 * name carries this process's id (`<prefix><pid>-XXXXXX`), so that a later
 * run can tell a directory left behind by a process that died without
 * exiting normally (see `removeStaleSocketDirs`).
 */
export function createPrivateSocketDir(prefix = 'prodcon-'): string {
  const directory = mkdtempSync(join(socketBase(), `${prefix}${process.pid}-`));
  chmodSync(directory, 0o700);
  removeOnExit(directory);
  return directory;
}

/**
 * Removes the socket directories (named by `createPrivateSocketDir` with
 * `prefix`) that this user's processes left behind when they died without
 * running their exit hook (killed by a signal). A directory whose process
 * still exists, or that belongs to another user, is left alone. Returns how
 * many were removed.
 */
export function removeStaleSocketDirs(prefix = 'prodcon-'): number {
  const base = socketBase();
  const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\d+)-[^-]+$`);
  const uid = process.getuid?.();
  let removed = 0;
  let entries: string[];
  try {
    entries = readdirSync(base);
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const pid = Number(pattern.exec(entry)?.[1]);
    if (!pid || pid === process.pid || processExists(pid)) continue;
    const path = join(base, entry);
    try {
      const stat = lstatSync(path);
      if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid)) continue;
      removeSocketDirectory(path);
      removed++;
    } catch {
      // Removed meanwhile (another process cleaning up too), or not ours to touch.
    }
  }
  return removed;
}

/** True when a process with this id exists (ours or another user's). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes `directory` (recursively) when this process exits, however it exits normally. */
export function removeOnExit(directory: string): void {
  directoriesToRemove.add(directory);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const path of directoriesToRemove) {
      try {
        removeSocketDirectory(path);
      } catch {
        // Already gone.
      }
    }
  });
}

/**
 * Removes a socket directory: its files, then itself. Deliberately not
 * `rmSync(path, { recursive: true })`: on Node 20, once that had removed a
 * socket file, later module resolution in the same process failed to follow
 * pnpm's symlinks ("Cannot find package" for a dependency of execa).
 */
function removeSocketDirectory(path: string): void {
  for (const entry of readdirSync(path)) removeSocketFile(join(path, entry));
  rmdirSync(path);
}

/** Removes a socket file now, if it exists. */
export function removeSocketFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** The path of socket `name` in `directory` (`<directory>/<name>.sock`). */
export function socketPath(directory: string, name: string): string {
  return join(directory, `${name}.sock`);
}
