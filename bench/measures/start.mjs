// Start-up. Cold: the first start in a fresh process (this one); warm: the next `warm` starts, median.
//   prodcon: `await worker.start()` of an idle consumer until its onStart returned (the import of
//            @prodcon/core, before it, is reported apart as importMs)
//   bare:    child_process.fork of a script that sends one message, until that message arrives
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from '../lib/stats.mjs';

const BARE = fileURLToPath(new URL('../baselines/bare.mjs', import.meta.url));

export async function prodcon({ warm = 5 }) {
  const importStarted = performance.now();
  const { Idle } = await import('../workers.mjs');
  const importMs = performance.now() - importStarted;
  const once = async () => {
    const idle = new Idle({ workTimeout: 60_000, output: 'ignore' });
    const started = performance.now();
    await idle.start();
    const duration = performance.now() - started;
    await idle.stop();
    return duration;
  };
  const cold = await once();
  const warmStarts = [];
  for (let index = 0; index < warm; index++) warmStarts.push(await once());
  return { cold, warm: median(warmStarts), importMs, coldWithImport: cold + importMs };
}

export async function bare({ warm = 5 }) {
  const once = async () => {
    const started = performance.now();
    const child = fork(BARE, [], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    await new Promise((resolve) => child.once('message', resolve));
    const duration = performance.now() - started;
    child.kill();
    await new Promise((resolve) => child.once('exit', resolve));
    return duration;
  };
  const cold = await once();
  const warmStarts = [];
  for (let index = 0; index < warm; index++) warmStarts.push(await once());
  return { cold, warm: median(warmStarts) };
}
