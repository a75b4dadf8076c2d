// Builds the packages: tsc for declarations (and per-file JavaScript), then
// esbuild bundles each package's index into one file. A child process loads
// the package at every start; one module instead of fifty saves ~30 ms of boot.
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';

// @prodcon/redis is not bundled: its index and its transport module (loaded by URL in workers) must share modules.
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'packages/ipc', 'packages/core', 'packages/redis'], { stdio: 'inherit' });

const common = { bundle: true, format: 'esm', platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning' };
await build({
  ...common,
  entryPoints: ['packages/ipc/src/index.ts'],
  outfile: 'packages/ipc/dist/index.js',
  external: ['superjson'],
});
await build({
  ...common,
  entryPoints: ['packages/core/src/index.ts'],
  outfile: 'packages/core/dist/index.js',
  external: ['@prodcon/ipc', 'xstate', 'execa', 'superjson'],
});
