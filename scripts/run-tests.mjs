// Runs the whole suite: type-checks the tests, lints, runs jest (ESM mode), then
// fails the run if any prodcon worker process this run started outlived it.
// Processes of other prodcon applications, or of another clone's test run on the
// same machine, are neither counted nor touched: every process of this run
// carries the run's marker in its environment.
import { execFileSync, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { carriesMarker, ensureRunMarker } from '../test/helpers/run-marker.mjs';

const jestArgs = process.argv.slice(2);
const marker = ensureRunMarker();

const typecheck = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.test.json'], { stdio: 'inherit' });
if (typecheck.status !== 0) process.exit(typecheck.status ?? 1);

// Lint, layering, import cycles and unused exports (scripts/lint.mjs).
const lint = spawnSync(process.execPath, ['scripts/lint.mjs'], { stdio: 'inherit' });
if (lint.status !== 0) process.exit(lint.status ?? 1);

const jest = spawnSync(process.execPath, ['node_modules/jest/bin/jest.js', ...jestArgs], {
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim() },
});

/** Live (not zombie) worker processes of this run. */
function leftoverWorkers() {
  const output = execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' });
  return output
    .split('\n')
    .filter((line) => line.includes('--prodcon-worker=') && !/^\s*\d+\s+Z/.test(line))
    .filter((line) => carriesMarker(Number(line.trim().split(/\s+/)[0]), marker));
}

let leftovers = leftoverWorkers();
for (let attempt = 0; leftovers.length > 0 && attempt < 30; attempt++) {
  await sleep(100);
  leftovers = leftoverWorkers();
}
if (leftovers.length > 0) {
  console.error(`\nFAIL: ${leftovers.length} prodcon worker process(es) of this run outlived it:\n${leftovers.join('\n')}`);
  for (const line of leftovers) {
    try {
      process.kill(Number(line.trim().split(/\s+/)[0]), 'SIGKILL');
    } catch {}
  }
  process.exit(1);
}
process.exit(jest.status ?? 1);
