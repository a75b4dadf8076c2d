/**
 * prodcon as a user gets it: every package packed (`pnpm pack`, which turns
 * `workspace:` ranges into versions), the tarballs installed with plain npm
 * into a fresh project outside the repository, and the README's quick starts
 * run there: JavaScript with node, TypeScript with tsx and `tsc --noEmit`
 * (strict, NodeNext); @prodcon/redis is loaded and type-checked there too
 * (no Redis needed: nothing connects before a queue is used). Needs the npm
 * registry for the third-party packages.
 */
import { execa } from 'execa';
import { cpSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { liveWorkers } from './helpers/processes.js';

const repo = realpathSync(fileURLToPath(new URL('..', import.meta.url)));
const packages = ['ipc', 'core', 'dashboard', 'redis'];

/** This process's environment minus everything that points into the repository or comes from the test run. */
function outsideEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || /^(npm_|pnpm_|NODE_OPTIONS$|NODE_PATH$|INIT_CWD$|PRODCON_|JEST_)/i.test(name)) continue;
    if (name === 'PATH') env.PATH = value.split(delimiter).filter((entry) => !entry.startsWith(repo)).join(delimiter);
    else if (!value.includes(repo)) env[name] = value;
  }
  return env;
}

/** Makes a Redis queue and loads the transport module its binding names (as a worker would): nothing connects. */
const REDIS_LOAD = `import { closeRedis, redisQueue } from '@prodcon/redis';
const queue = redisQueue('jobs', { url: 'redis://127.0.0.1:6399', capacity: 10, lossy: true });
const { engine } = queue.binding(); // internal: what crosses to the workers
const transport = (await import(engine.module)).createTransport();
await import('@prodcon/redis/transport');
await transport.close();
await closeRedis();
process.stdout.write(\`\${queue.name}: capacity \${queue.capacity}, lossy \${queue.lossy}; transport \${transport.name}\`);
`;

/** @prodcon/redis as a TypeScript project uses it (checked with the quick starts by tsc --noEmit). */
const REDIS_TYPES = `import type { ReadyQueue } from '@prodcon/core';
import { redisQueue, type RedisQueueOptions } from '@prodcon/redis';

const options: RedisQueueOptions = { capacity: 10, lossy: true };
export const jobs: ReadyQueue<number> = redisQueue<number>('jobs', options);
`;

describe('the packed packages, installed with npm in a project of their own', () => {
  let project: string;
  let env: NodeJS.ProcessEnv;
  const inProject = (file: string, args: string[]) =>
    execa(file, args, { cwd: project, env, extendEnv: false, reject: false, timeout: 60_000 });

  beforeAll(async () => {
    project = realpathSync(mkdtempSync(join(tmpdir(), 'prodcon-install-')));
    expect(relative(repo, project).startsWith('..')).toBe(true); // outside the repository
    env = outsideEnvironment();
    const tarballs = join(project, 'tarballs');
    for (const name of packages) {
      await execa('npx', ['-y', 'pnpm@10', 'pack', '--pack-destination', tarballs], { cwd: join(repo, 'packages', name) });
    }
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-app', private: true, type: 'module' }, null, 2));
    cpSync(join(repo, 'examples/quick-start.mjs'), join(project, 'quick-start.mjs'));
    cpSync(join(repo, 'examples/typescript'), join(project, 'typescript'), { recursive: true });
    cpSync(join(repo, 'examples/tsconfig.json'), join(project, 'tsconfig.json'));
    writeFileSync(join(project, 'redis-load.mjs'), REDIS_LOAD);
    writeFileSync(join(project, 'redis-types.ts'), REDIS_TYPES);
    const files = readdirSync(tarballs).map((file) => join(tarballs, file));
    const install = await execa(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files, 'typescript@~5.9', 'tsx@^4', '@types/node@^20'],
      { cwd: project, env, extendEnv: false, reject: false, timeout: 150_000 },
    );
    expect(install.stderr).toBe('');
    expect(install.exitCode).toBe(0);
  }, 180_000);

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('rewrote the workspace dependency to the version packed beside it', () => {
    const installed = (name: string) => JSON.parse(readFileSync(join(project, 'node_modules/@prodcon', name, 'package.json'), 'utf8'));
    expect(installed('core').dependencies['@prodcon/ipc']).toBe(`^${installed('ipc').version}`);
    expect(installed('redis').dependencies['@prodcon/ipc']).toBe(`^${installed('ipc').version}`);
    expect(installed('redis').peerDependencies['@prodcon/core']).toBe(`^${installed('core').version}`);
  });

  it('loads @prodcon/redis and the transport module its queues name, without a Redis', async () => {
    const run = await inProject('node', ['redis-load.mjs']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe("redis queue 'jobs': capacity 10, lossy true; transport redis");
  });

  it('runs the JavaScript quick start: results printed, exit 0, no process left', async () => {
    const run = await inProject('node', ['quick-start.mjs']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const numbers = [...run.stdout.matchAll(/got \[([\d, ]*)\]/g)].flatMap(([, list]) => list!.split(', ').map(Number));
    expect(numbers.length).toBeGreaterThanOrEqual(15);
    expect(numbers).toEqual(numbers.map((_, index) => index)); // 0, 1, 2, ... every item once, in order
    expect(liveWorkers(project)).toEqual([]);
  });

  it('runs the TypeScript quick start under tsx', async () => {
    const run = await inProject(join(project, 'node_modules/.bin/tsx'), ['typescript/main.ts']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/average of \d readings from lab-1/);
    expect(liveWorkers(project)).toEqual([]);
  });

  it('runs a script under the installed dashboard, which serves its page from the package (no internet needed)', async () => {
    writeFileSync(
      join(project, 'page.mjs'),
      [
        "import { startDashboard } from '@prodcon/dashboard';",
        'const dash = await startDashboard();',
        'const html = await (await fetch(dash.url)).text();',
        "const script = await (await fetch(new URL('app.js', dash.url))).text();",
        'console.log(JSON.stringify({ url: dash.url, html: html.includes(\'src="app.js"\'), script: script.length }));',
        'await dash.close();',
      ].join('\n'),
    );
    const page = await inProject('node', ['page.mjs']);
    expect(page.stderr).toBe('');
    const served = JSON.parse(page.stdout) as { url: string; html: boolean; script: number };
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(served.html).toBe(true);
    expect(served.script).toBeGreaterThan(10_000); // the page's one bundle, uPlot included

    const cli = await inProject(join(project, 'node_modules/.bin/prodcon-dashboard'), ['--exit', 'quick-start.mjs']);
    expect(cli.exitCode).toBe(0);
    expect(cli.stderr).toMatch(/^prodcon dashboard: http:\/\/127\.0\.0\.1:\d+\/ \(bound to 127\.0\.0\.1: this machine only\)$/m);
    expect(cli.stdout).toMatch(/got \[0/);
    expect(liveWorkers(project)).toEqual([]);
  });

  it('type-checks the TypeScript quick start with tsc --noEmit (strict, NodeNext, library checks on)', async () => {
    const check = await inProject(join(project, 'node_modules/.bin/tsc'), ['--noEmit', '-p', '.']);
    expect(check.stdout + check.stderr).toBe('');
    expect(check.exitCode).toBe(0);
  });
});
