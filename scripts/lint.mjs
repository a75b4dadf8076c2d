// pnpm lint: ESLint (typescript-eslint's type-checked rules and the folder layering), import cycles
// (dpdm, type-only imports included) and unused exports and dependencies (knip). Each tool runs from
// node_modules/.bin, without npm in between (npm warns about pnpm's settings in the environment).
import { spawnSync } from 'node:child_process';

const steps = [
  ['eslint', 'packages'],
  ['dpdm', '--no-warning', '--no-tree', '--exit-code', 'circular:1', 'packages/core/src/index.ts', 'packages/core/src/child-entry.ts', 'packages/ipc/src/index.ts', 'packages/dashboard/src/index.ts', 'packages/dashboard/web/app.ts', 'packages/redis/src/index.ts', 'packages/redis/src/transport.ts'],
  ['knip'],
];
for (const [tool, ...args] of steps) {
  const result = spawnSync(`node_modules/.bin/${tool}`, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`lint: ${tool} failed`);
    process.exit(result.status ?? 1);
  }
}
