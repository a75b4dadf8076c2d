// Runs the whole suite: type-checks the tests, lints, runs jest (ESM mode), then
// fails the run if any prodcon worker process outlived it.
import { execFileSync, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const jestArgs = process.argv.slice(2);

const typecheck = spawnSync('npx', ['tsc', '-p', 'tsconfig.test.json'], { stdio: 'inherit' });
if (typecheck.status !== 0) process.exit(typecheck.status ?? 1);

// Lint, layering, import cycles and unused exports (see package.json "lint").
const lint = spawnSync('npm', ['run', '--silent', 'lint'], { stdio: 'inherit' });
if (lint.status !== 0) process.exit(lint.status ?? 1);

const jest = spawnSync(process.execPath, ['node_modules/jest/bin/jest.js', ...jestArgs], {
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim() },
});

/** This checkout's child entry: other checkouts' workers on the machine are not ours to judge (or kill). */
const ourChildEntry = `${process.cwd()}/packages/core/dist/child-entry.js`;

/** Live (not zombie) processes started as prodcon workers of this checkout. */
function leftoverWorkers() {
  const output = execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' });
  return output
    .split('\n')
    .filter((line) => line.includes('--prodcon-worker=') && line.includes(ourChildEntry) && !/^\s*\d+\s+Z/.test(line));
}

let leftovers = leftoverWorkers();
for (let attempt = 0; leftovers.length > 0 && attempt < 30; attempt++) {
  await sleep(100);
  leftovers = leftoverWorkers();
}
if (leftovers.length > 0) {
  console.error(`\nFAIL: ${leftovers.length} prodcon worker process(es) outlived the test run:\n${leftovers.join('\n')}`);
  for (const line of leftovers) {
    try {
      process.kill(Number(line.trim().split(/\s+/)[0]), 'SIGKILL');
    } catch {}
  }
  process.exit(1);
}
process.exit(jest.status ?? 1);
