// Each measurement runs in a process of its own (bench/measure.mjs), so that no measurement inherits
// another's heap, JIT state, open handles or leftover children. Its environment is the benchmark's minus
// NODE_EXTRA_CA_CERTS (which costs every Node.js start 50–150 ms loading certificates) unless asked.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MEASURE = fileURLToPath(new URL('../measure.mjs', import.meta.url));

/** The environment of every process the benchmark starts. */
export function childEnv({ keepCaCerts = false } = {}) {
  const env = { ...process.env };
  if (!keepCaCerts) delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/**
 * Runs `kind` (a measurement of bench/measures/) with `options` in a fresh Node.js process and resolves
 * with what it reports. Killed after `limitMs`: then resolves `{ error }`, as when it fails.
 */
export function measureInFreshProcess(kind, options, { env, execArgv = [], limitMs = 180_000 } = {}) {
  return new Promise((resolve) => {
    const subprocess = fork(MEASURE, [kind, JSON.stringify(options)], { env, execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    let result;
    const timer = setTimeout(() => {
      result ??= { error: `killed after ${limitMs} ms` };
      subprocess.kill('SIGKILL');
    }, limitMs);
    subprocess.on('message', (message) => (result ??= message));
    subprocess.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(result ?? { error: `exited (${signal ?? code}) without a result` });
    });
  });
}
