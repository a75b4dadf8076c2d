// Every process a test run starts carries this run's marker in its environment
// (workers inherit it), so that leak checks judge only this run's processes and
// never those of another prodcon application or another clone's test run.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

const RUN_MARKER_ENV = 'PRODCON_TEST_RUN';

/** Sets this run's marker in process.env (once), and returns it. */
export function ensureRunMarker() {
  process.env[RUN_MARKER_ENV] ??= randomBytes(8).toString('hex');
  return process.env[RUN_MARKER_ENV];
}

/** True when process `pid` carries `marker` (false when it is gone or not ours to read). */
export function carriesMarker(pid, marker) {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`${RUN_MARKER_ENV}=${marker}`);
  } catch {
    return false;
  }
}
