// Builds the packages: tsc for the declarations (dist/**/*.d.ts), then esbuild
// bundles each package's index into one file. A child process loads the package
// at every start; one module instead of fifty saves ~30 ms of boot.
// @prodcon/core's child entry is compiled on its own, not bundled: it imports
// ./index.js, so that the child and the user's module share one instance of it.
// @prodcon/redis is not bundled either (tsc writes its JavaScript, file by file): its index and its
// transport module, which workers load by URL, must share one instance of each module.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'packages/ipc', 'packages/core', 'packages/dashboard', 'packages/redis'], { stdio: 'inherit' });

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
  external: ['@prodcon/ipc', 'xstate', 'superjson'],
  // The main process imports execa on its first spawn: from the bundle below, not from its ~100 modules.
  plugins: [{ name: 'vendored-execa', setup: (b) => b.onResolve({ filter: /^execa$/ }, () => ({ path: './vendor/execa.js', external: true })) }],
});
await bundleExeca();
await build({
  ...common,
  entryPoints: ['packages/core/src/child-entry.ts'],
  outfile: 'packages/core/dist/child-entry.js',
});
// The exporters (@prodcon/core/prometheus, /opentelemetry) are compiled file by file, not bundled:
// they import ../index.js, the one instance of the package whose units they read.
await build({
  ...common,
  entryPoints: ['packages/core/src/exporters/catalog.ts', 'packages/core/src/exporters/prometheus.ts', 'packages/core/src/exporters/opentelemetry.ts'],
  outdir: 'packages/core/dist/exporters',
});

// @prodcon/dashboard: the server (bundled, @prodcon/core left to the application: the dashboard must
// see the application's own instance of it), its command line (which imports ./index.js), and the page:
// one script (uPlot included) and one style sheet, built from the package's web/ and shipped in dist/web,
// so that the page needs nothing from the internet.
await build({
  ...common,
  bundle: true,
  entryPoints: ['packages/dashboard/src/index.ts'],
  outfile: 'packages/dashboard/dist/index.js',
  external: ['@prodcon/core'],
});
await build({
  ...common,
  entryPoints: ['packages/dashboard/src/cli.ts'],
  outfile: 'packages/dashboard/dist/cli.js',
});
mkdirSync('packages/dashboard/dist/web', { recursive: true });
await build({
  bundle: true,
  entryPoints: ['packages/dashboard/web/app.ts'],
  outfile: 'packages/dashboard/dist/web/app.js',
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  logLevel: 'warning',
});
const uplotCss = readFileSync('packages/dashboard/node_modules/uplot/dist/uPlot.min.css', 'utf8');
writeFileSync('packages/dashboard/dist/web/app.css', `${uplotCss}\n${readFileSync('packages/dashboard/web/style.css', 'utf8')}`);
copyFileSync('packages/dashboard/web/index.html', 'packages/dashboard/dist/web/index.html');

/**
 * execa in one file (dist/vendor/execa.js): loading execa 9 module by module costs a fresh main process
 * ~110 ms at its first start() (measured on the 2-core machine, Node 20: 135 ms to import it against 27 ms
 * for a bare Node), most of it resolving and compiling its ~100 files; bundled, ~35 ms. Its CommonJS
 * dependencies (cross-spawn…) call require(), which an ES module has to be given. Their licences go
 * beside it.
 */
async function bundleExeca() {
  const result = await build({
    ...common,
    bundle: true,
    stdin: { contents: "export { execaNode } from 'execa';", resolveDir: 'packages/core', loader: 'js' },
    outfile: 'packages/core/dist/vendor/execa.js',
    minify: true,
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    metafile: true,
  });
  const packages = new Map();
  for (const input of Object.keys(result.metafile.inputs)) {
    const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
    if (match) packages.set(match[2], match[1]);
  }
  const notices = [...packages].sort().map(([name, directory]) => {
    const { version, license } = JSON.parse(readFileSync(`${directory}/package.json`, 'utf8'));
    const file = readdirSync(directory).find((entry) => /^licen[cs]e/i.test(entry));
    return `${name}@${version} (${license})\n\n${file ? readFileSync(`${directory}/${file}`, 'utf8').trim() : ''}\n`;
  });
  writeFileSync('packages/core/dist/vendor/execa.LICENSES.txt', `Bundled into execa.js:\n\n${notices.join('\n---\n\n')}`);
}
