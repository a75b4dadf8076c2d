import { MAX_FRAME_BYTES_ENV, maxFrameBytes } from '@prodcon/ipc';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LINK_ENV } from '../shared/protocol.js';
import { inheritableExecArgv } from './exec-argv.js';
import { noTypeScriptLoader, spawnFailed } from './failures.js';
import { prefixLines } from './output.js';

export interface SpawnRequest {
  workerName: string;
  moduleUrl: string;
  linkPath: string;
  token: string;
  output: 'prefix' | 'inherit' | 'ignore';
  execArgv: string[] | undefined;
}

export interface ChildExit {
  exitCode: number | undefined;
  signal: string | undefined;
}

export interface ChildProcessHandle {
  readonly pid: number | undefined;
  /** Resolves once the process has exited and been reaped (never rejects). */
  readonly exited: Promise<ChildExit>;
  kill(signal?: NodeJS.Signals): void;
}

/** The child entry script: next to this module in the bundle (dist/index.js), one level up otherwise. */
const ENTRY = [new URL('./child-entry.js', import.meta.url), new URL('../child-entry.js', import.meta.url)]
  .map((url) => fileURLToPath(url))
  .find((path) => existsSync(path))!;
const TYPESCRIPT_MODULE = /\.(?:ts|mts|cts|tsx)$/;

/**
 * Starts a worker child with execa: no buffering of its output or IPC (a
 * long-running child would otherwise grow the parent's memory), killed when
 * this process exits (`cleanup`), SIGKILLed if it ignores a termination.
 * The child never imports execa: it is loaded here, in the parent, on demand.
 */
export async function spawnWorkerProcess(request: SpawnRequest): Promise<ChildProcessHandle> {
  const { execaNode } = await import('execa');
  const captureOutput = request.output === 'prefix';
  const stdio = request.output === 'inherit' ? 'inherit' : request.output === 'ignore' ? 'ignore' : 'pipe';
  const subprocess = execaNode(ENTRY, [`--prodcon-worker=${request.workerName}`], {
    nodeOptions: childExecArgv(request),
    // The child accepts and sends frames up to this process's limit (see configure({ maxFrameBytes })).
    env: { [LINK_ENV.path]: request.linkPath, [LINK_ENV.token]: request.token, [MAX_FRAME_BYTES_ENV]: String(maxFrameBytes()) },
    stdin: 'ignore',
    stdout: stdio,
    stderr: stdio,
    buffer: false,
    ipc: true,
    serialization: 'json',
    // No `cleanup`: it kills children with SIGTERM on exit, through signal-exit's own signal listeners. The
    // children have lifelines instead (their link and IPC channel): when this process is gone, they run
    // onStop and exit. Signals sent to this process are handled by prodcon (see parent/signals.ts).
    cleanup: false,
    forceKillAfterDelay: 2000,
    reject: false,
  });
  if (captureOutput) {
    if (subprocess.stdout) prefixLines(subprocess.stdout, process.stdout, request.workerName);
    if (subprocess.stderr) prefixLines(subprocess.stderr, process.stderr, request.workerName);
  }
  // With reject: false the subprocess never rejects: a failure is a result with failed: true.
  const exited: Promise<ChildExit> = Promise.resolve(subprocess).then((result) => ({
    exitCode: result.exitCode,
    signal: result.signal,
  }));
  if (subprocess.pid === undefined) {
    const failure = await Promise.resolve(subprocess);
    throw spawnFailed(request.workerName, failure);
  }
  return {
    pid: subprocess.pid,
    exited,
    kill: (signal = 'SIGKILL') => {
      subprocess.kill(signal);
    },
  };
}

/**
 * The child's Node.js flags: this process's own (so a parent run with tsx
 * gets tsx in its children), minus debugger flags; plus tsx when the worker's
 * module is TypeScript and no loader is present.
 */
function childExecArgv(request: SpawnRequest): string[] {
  const inherited = request.execArgv ?? inheritableExecArgv(process.execArgv);
  if (!TYPESCRIPT_MODULE.test(request.moduleUrl) || hasTypeScriptLoader(inherited)) return inherited;
  const loader = resolveTsx(request.moduleUrl);
  if (!loader) {
    throw noTypeScriptLoader(request.workerName, request.moduleUrl);
  }
  return [...inherited, '--import', loader];
}

function hasTypeScriptLoader(flags: string[]): boolean {
  return flags.some((flag) => /tsx|ts-node|strip-types|transform-types/.test(flag));
}

function resolveTsx(moduleUrl: string): string | undefined {
  const places = [moduleUrl, pathToFileURL(`${process.cwd()}/`).href, import.meta.url];
  for (const place of places) {
    try {
      return pathToFileURL(createRequire(place).resolve('tsx')).href;
    } catch {
      // try the next place
    }
  }
  return undefined;
}
