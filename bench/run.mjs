// pnpm bench [--quick] [--only=<id,…>] [--rounds=<n>] [--keep-ca-certs]
//
// Measures prodcon and, in the same run, what it is compared with (bench/comparisons.mjs). Each
// comparison's peers are measured in alternated rounds, every measurement in a fresh process
// (lib/rounds.mjs, lib/fresh.mjs): 5 rounds in the full run, 3 with --quick. Prints the machine, the load
// average before and after, the environment that bears on the figures, then one markdown table (medians
// with min–max, ratios as the median of per-round ratios), and writes the whole to bench/results/
// (latest.json for a full run of every comparison, latest-quick.json for --quick, partial.json otherwise).
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hasRedisServer, startPrivateRedis } from '../scripts/lib/private-redis.mjs';
import { comparisons } from './comparisons.mjs';
import { childEnv } from './lib/fresh.mjs';
import { loadAverage, machineLine, pythonVersion, relevantEnvironment } from './lib/machine.mjs';
import { runComparison } from './lib/rounds.mjs';
import { markdownTable } from './lib/table.mjs';

const argument = (name) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
const quick = process.argv.includes('--quick');
const keepCaCerts = process.argv.includes('--keep-ca-certs');
const only = argument('only')?.split(',');
const rounds = Number(argument('rounds') ?? (quick ? 3 : 5));
const log = (line) => process.stderr.write(`${line}\n`);

async function main() {
  const began = Date.now();
  const env = childEnv({ keepCaCerts });
  const python = pythonVersion() !== undefined;
  const redisServer = quick || (only && !only.includes('redis')) || process.env.PRODCON_REDIS_URL || !hasRedisServer() ? undefined : await startPrivateRedis();
  const redisUrl = quick ? undefined : (process.env.PRODCON_REDIS_URL ?? redisServer?.url);
  const header = {
    machine: machineLine(),
    loadBefore: loadAverage(),
    environment: relevantEnvironment(env, keepCaCerts),
    method: `${rounds} alternated rounds per comparison (round r starts at peer r), each measurement a fresh process`,
  };
  log(`prodcon bench${quick ? ' (quick)' : ''}: ${header.machine}; load average ${header.loadBefore.join(' ')}`);
  if (!python) log('note: python3 is absent: the multiprocessing.Queue rows are skipped');
  if (!quick && !redisUrl) log('note: no redis-server on PATH and no PRODCON_REDIS_URL: the Redis rows are skipped');
  const rows = [];
  const raw = {};
  try {
    for (const comparison of comparisons({ quick, python, redisUrl })) {
      if (only && !only.includes(comparison.id)) continue;
      const result = await runComparison(comparison, { rounds: comparison.rounds ?? rounds, env, log });
      rows.push(...result.rows);
      raw[comparison.id] = result.raw;
    }
  } finally {
    await redisServer?.dispose();
  }
  header.loadAfter = loadAverage();
  const durationSeconds = (Date.now() - began) / 1000;
  const lines = [
    `Machine: ${header.machine}.`,
    `Load average (1, 5, 15 min): ${header.loadBefore.join(' ')} before, ${header.loadAfter.join(' ')} after; ${durationSeconds.toFixed(0)} s.`,
    `Environment: ${Object.entries(header.environment).map(([name, value]) => `${name} ${value}`).join('; ')}.`,
    `Method: ${header.method}.`,
  ];
  console.log(`\n${lines.join('\n')}\n\n${markdownTable(rows)}`);
  const name = only ? 'partial.json' : quick ? 'latest-quick.json' : 'latest.json';
  const path = fileURLToPath(new URL(`./results/${name}`, import.meta.url));
  mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ date: new Date().toISOString(), quick, rounds, durationSeconds, ...header, rows, raw }, null, 2)}\n`);
  log(`\nwrote bench/results/${name} (${durationSeconds.toFixed(0)} s)`);
}

await main();
