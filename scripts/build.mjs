// Builds the packages: tsc for the declarations (dist/**/*.d.ts), then esbuild
// bundles each package's index into one file. A child process loads the package
// at every start; one module instead of fifty saves ~30 ms of boot.
// @prodcon/core's child entry is compiled on its own, not bundled: it imports
// ./index.js, so that the child and the user's module share one instance of it.
// @prodcon/redis is not bundled either (tsc writes its JavaScript, file by file): its index and its
// transport module, which workers load by URL, must share one instance of each module.
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'packages/ipc', 'packages/core', 'packages/redis'], { stdio: 'inherit' });

const common = { format: 'esm', platform: 'node', target: 'node20', sourcemap: 'linked', logLevel: 'warning' };
await build({
  ...common,
  bundle: true,
  entryPoints: ['packages/ipc/src/index.ts'],
  outfile: 'packages/ipc/dist/index.js',
  external: ['superjson'],
});
await build({
  ...common,
  bundle: true,
  entryPoints: ['packages/core/src/index.ts'],
  outfile: 'packages/core/dist/index.js',
  external: ['@prodcon/ipc', 'xstate', 'execa', 'superjson'],
});
await build({
  ...common,
  entryPoints: ['packages/core/src/child-entry.ts'],
  outfile: 'packages/core/dist/child-entry.js',
});
