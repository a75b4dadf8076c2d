// Runs the whole suite: type-checks the tests and the examples, lints, builds the API reference,
// runs jest (ESM mode), then fails the run if any prodcon worker process this run started outlived it.
// Processes of other prodcon applications, or of another clone's test run on the same machine, are
// neither counted nor touched: every process of this run carries the run's marker in its environment.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { carriesMarker, ensureRunMarker } from '../test/helpers/run-marker.mjs';

const jestArgs = process.argv.slice(2);
const marker = ensureRunMarker();
const { scripts } = JSON.parse(readFileSync('package.json', 'utf8'));

// The repository's tools run straight from node_modules/.bin: through npm or npx, every step printed
// npm's "Unknown env config" warnings about the settings pnpm passes down.
const toolsEnv = { ...process.env, PATH: `${join(process.cwd(), 'node_modules/.bin')}${delimiter}${process.env.PATH}` };
function step(command) {
  const result = spawnSync(command, { shell: true, stdio: 'inherit', env: toolsEnv });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// The tests (the type tests in test/types included), then the examples as a user's project checks them.
step('tsc -p tsconfig.test.json');
step('tsc -p examples');
// The dashboard's page (browser code: esbuild bundles it without checking its types).
step('tsc -p packages/dashboard/web');
// Lint, layering, import cycles and unused exports (see package.json "lint").
step(scripts.lint);
// The API reference (docs/api): it fails on any public export without documentation.
step('typedoc --logLevel Warn');

// Jest runs ES modules through vm.SourceTextModule, behind a flag whose "experimental" warning every
// run would print; the flag is what jest documents, the warning says nothing we can act on.
const quiet = process.allowedNodeEnvironmentFlags.has('--disable-warning') ? ' --disable-warning=ExperimentalWarning' : '';
const jest = spawnSync(process.execPath, ['node_modules/jest/bin/jest.js', ...jestArgs], {
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules${quiet}`.trim() },
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
