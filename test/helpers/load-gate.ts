import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs `body` with children of test/fixtures/slow-loading.mjs held in the
 * import of that module until `open()` is called: a window in which the main
 * process can change things while a child is still loading its worker.
 */
export async function withLoadGate<T>(body: (open: () => void) => Promise<T>): Promise<T> {
  const directory = mkdtempSync(join(tmpdir(), 'prodcon-gate-'));
  const gate = join(directory, 'open');
  process.env.PRODCON_TEST_LOAD_GATE = gate; // children inherit the environment
  try {
    return await body(() => writeFileSync(gate, ''));
  } finally {
    delete process.env.PRODCON_TEST_LOAD_GATE;
    rmSync(directory, { recursive: true, force: true });
  }
}
