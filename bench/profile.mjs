// node bench/profile.mjs <pool|streaming> [--top=<n>] [--runs=<n>] [--keep-ca-certs]
//
// CPU profiles of the processes that bound issue 11's jobs, top self-time functions printed:
//   pool:      the main process of the pool job (pool of 2, 200 k small items, tuned, await pool.put of
//              chunks of 1000: bench/measures/pool.mjs), its members unprofiled
//   streaming: the producer of 1→1 small-item streaming with the default codec (measures/streaming.mjs)
// The process runs with --cpu-prof in its execArgv (Node refuses --cpu-prof in NODE_OPTIONS; prodcon
// workers take an `execArgv` option). Only the samples of the measured window count (the job, or the
// streaming window after its warm-up): start-up, item making and shutdown are left out. Sampled every
// 100 µs; the self times of `runs` runs (default 3, each a fresh process) are added up.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { childEnv, measureInFreshProcess } from './lib/fresh.mjs';

const target = process.argv[2];
const option = (name, fallback) => Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const top = option('top', 20);
const runs = option('runs', 3);
const env = childEnv({ keepCaCerts: process.argv.includes('--keep-ca-certs') });

if (target !== 'pool' && target !== 'streaming') {
  console.error('usage: node bench/profile.mjs <pool|streaming> [--top=<n>] [--runs=<n>] [--keep-ca-certs]');
  process.exit(2);
}
const tally = { self: new Map(), total: 0, idle: 0, rates: [] };
for (let run = 0; run < runs; run++) {
  const dir = mkdtempSync(join(tmpdir(), 'prodcon-profile-'));
  const profileFlags = ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '100'];
  const result =
    target === 'pool'
      ? await measureInFreshProcess('pool.job', { tuned: true, execArgv: [] }, { env, execArgv: profileFlags })
      : await measureInFreshProcess('stream.throughput', { producerExecArgv: profileFlags, warmupMs: 1000, measureMs: 2000 }, { env });
  if (result.error) throw new Error(result.error);
  const files = readdirSync(dir).filter((file) => file.endsWith('.cpuprofile'));
  if (files.length !== 1) throw new Error(`expected one profile in ${dir}, found ${files.length}`);
  addSelfTime(tally, JSON.parse(readFileSync(join(dir, files[0]), 'utf8')), result.windowUs);
  rmSync(dir, { recursive: true, force: true });
  tally.rates.push(Math.round(result.rate));
}
const profiled = target === 'pool' ? "the pool job's main process" : 'the streaming producer';
console.log(`${target}: ${tally.rates.map((rate) => rate.toLocaleString('en')).join(', ')} items/s in ${runs} runs; ${profiled}, in the measured windows:\n`);
console.log(topSelfTime(tally, top));

/** `@prodcon/ipc/dist/index.js` rather than a path of the machine, or node's own module name. */
function shortPath(url) {
  const inPackage = /packages\/([^/]+)\/(.+)$/.exec(url);
  return inPackage ? `@prodcon/${inPackage[1]}/${inPackage[2]}` : basename(url);
}

/** Adds a profile's self time per function (name, file, line) within [from, to] µs of its clock to `tally`. */
function addSelfTime(tally, { nodes, samples, timeDeltas, startTime }, [from, to]) {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  let time = startTime;
  for (let index = 0; index < samples.length; index++) {
    time += timeDeltas[index];
    // Each sample stands for the time up to the next one.
    const span = (timeDeltas[index + 1] ?? 0) / 1000;
    if (time < from || time > to) continue;
    const { callFrame } = byId.get(samples[index]);
    tally.total += span;
    if (callFrame.functionName === '(idle)') {
      tally.idle += span;
      continue;
    }
    const where = callFrame.url ? `${shortPath(callFrame.url)}:${callFrame.lineNumber + 1}` : '';
    const key = `${callFrame.functionName || '(anonymous)'}\t${where}`;
    tally.self.set(key, (tally.self.get(key) ?? 0) + span);
  }
}

function topSelfTime({ self, total, idle }, count) {
  const busy = total - idle;
  const lines = [
    `windows ${total.toFixed(0)} ms, busy ${busy.toFixed(0)} ms (${((busy / total) * 100).toFixed(0)}%), idle ${idle.toFixed(0)} ms`,
    '',
    '| self ms | % of busy | function | where |',
    '| ---: | ---: | --- | --- |',
  ];
  const ranked = [...self].sort((a, b) => b[1] - a[1]).slice(0, count);
  for (const [key, ms] of ranked) {
    const [name, where] = key.split('\t');
    lines.push(`| ${ms.toFixed(1)} | ${((ms / busy) * 100).toFixed(1)} | ${name} | ${where} |`);
  }
  return lines.join('\n');
}
