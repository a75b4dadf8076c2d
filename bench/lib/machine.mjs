// What the figures were measured on: the machine, its load, and the environment that changes them.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** One line: CPU model, cores, RAM, Node.js, OS. */
export function machineLine() {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node.js ${process.version}, ${type()} ${release()}`;
}

export function loadAverage() {
  return loadavg().map((value) => Number(value.toFixed(2)));
}

/** Whether python3 runs here, and its version. */
export function pythonVersion() {
  try {
    return execFileSync('python3', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return undefined;
  }
}

function packageVersion(name) {
  try {
    return require(`${name}/package.json`).version;
  } catch {
    return undefined;
  }
}

function gitCommit() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${commit} (with uncommitted changes)` : commit;
  } catch {
    return undefined;
  }
}

/** The environment that bears on the figures, as the children see it. */
export function relevantEnvironment(childEnv, keepCaCerts) {
  return {
    NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS
      ? keepCaCerts
        ? `set, kept for the children (--keep-ca-certs)`
        : 'set here, removed for the children (--keep-ca-certs keeps it)'
      : 'not set',
    NODE_OPTIONS: childEnv.NODE_OPTIONS || '(none)',
    UV_THREADPOOL_SIZE: childEnv.UV_THREADPOOL_SIZE || '(default)',
    python3: pythonVersion() ?? 'absent',
    tinypool: packageVersion('tinypool') ?? 'absent',
    workerpool: packageVersion('workerpool') ?? 'absent',
    commit: gitCommit(),
  };
}
