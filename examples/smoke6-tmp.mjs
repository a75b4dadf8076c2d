import { isMainProcess } from '@prodcon/core';
import { redisQueue, closeRedis } from '@prodcon/redis';
import { Summer } from '../test/fixtures/pool-workers.mjs';
import { spawn } from 'node:child_process';
if (isMainProcess()) {
  const config = { url: process.env.URL, namespace: 'smoke' + Date.now() };
  const tally = new Summer({ maxBufferSize: 100, workTimeout: 10, queue: redisQueue('doubled', config), stopWhenUpstreamEnds: true });
  const totals = []; tally.on('result', (r) => totals.push(r));
  tally.on('state', (s) => console.log('summer', s));
  await tally.start();
  const host = (c) => { const p = spawn(process.execPath, ['../test/fixtures/hosts/host.mjs'], { stdio: 'inherit', env: { ...process.env, PRODCON_TEST_HOST: JSON.stringify({ ...config, ...c }) } }); return p; };
  host({ role: 'double' });
  await new Promise((r) => setTimeout(r, 1500));
  host({ role: 'source', count: 5000 });
  await new Promise((r) => setTimeout(r, 5000));
  console.log(totals.reduce((s, t) => s + t.count, 0), tally.getState());
  process.exit(0);
}
