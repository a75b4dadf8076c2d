import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Unix socket paths are limited to ~107 bytes; leave room for the file name. */
const MAX_DIR_LENGTH = 80;

const directoriesToRemove = new Set<string>();
let exitHookInstalled = false;

/**
 * Creates a directory that only this user can enter (mode 0700) for the
 * sockets of one prodcon run, and removes it when this process exits.
 */
export function createPrivateSocketDir(prefix = 'prodcon-'): string {
  let base = tmpdir();
  if (base.length > MAX_DIR_LENGTH) base = '/tmp';
  const directory = mkdtempSync(join(base, prefix));
  chmodSync(directory, 0o700);
  removeOnExit(directory);
  return directory;
}

/** Removes `directory` (recursively) when this process exits, however it exits normally. */
export function removeOnExit(directory: string): void {
  directoriesToRemove.add(directory);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const path of directoriesToRemove) rmSync(path, { recursive: true, force: true });
  });
}

/** Removes a socket file now (and forgets it). */
export function removeSocketFile(path: string): void {
  rmSync(path, { force: true });
}

/** The path of socket `name` in `directory` (`<directory>/<name>.sock`). */
export function socketPath(directory: string, name: string): string {
  return join(directory, `${name}.sock`);
}
