// A baseline's child process (bench/baselines/*.mjs) and the conversation with it over its IPC channel.
import { fork } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function baselineChild(script, args) {
  const subprocess = fork(fileURLToPath(new URL(`../baselines/${script}`, import.meta.url)), args, { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  // Baselines are killed mid-stream: a send still in flight then fails with EPIPE. That is the end
  // of the measurement, not a failure of the run.
  subprocess.on('error', (error) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_IPC_CHANNEL_CLOSED') throw error;
  });
  const next = (predicate) =>
    new Promise((resolve) => {
      const listener = (message) => {
        if (!predicate(message)) return;
        subprocess.off('message', listener);
        resolve(message);
      };
      subprocess.on('message', listener);
    });
  const ask = (request, key) => {
    const answer = next((message) => message && typeof message === 'object' && key in message);
    subprocess.send(request);
    return answer;
  };
  const exit = async () => {
    if (subprocess.exitCode === null && subprocess.signalCode === null) {
      const exited = new Promise((resolve) => subprocess.once('exit', resolve));
      subprocess.send('exit');
      await exited;
    }
  };
  return { subprocess, next, ask, exit };
}

let socketCount = 0;
export function socketPath() {
  return join(tmpdir(), `prodcon-bench-${process.pid}-${socketCount++}.sock`);
}
