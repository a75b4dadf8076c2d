#!/usr/bin/env node
/**
 * `npx prodcon-dashboard [--port N] [--host H --token T] [--exit] script.mjs [args...]`:
 * starts a dashboard, then runs the script in this same process (its workers
 * are this process's: the dashboard sees them all). The dashboard stays open
 * after the script's main code ends, until Ctrl-C (or at once with --exit).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startDashboard } from './index.js';

const usage = 'usage: prodcon-dashboard [--port N] [--host ADDRESS --token SECRET] [--exit] script.mjs [args...]';
let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    strict: true,
    options: { port: { type: 'string' }, host: { type: 'string' }, token: { type: 'string' }, exit: { type: 'boolean' }, help: { type: 'boolean' } },
    // Everything from the script on belongs to the script.
    args: process.argv.slice(2, firstPositional(process.argv.slice(2)) + 3),
  });
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${usage}\n`);
  process.exit(2);
}
const [script] = parsed.positionals;
if (parsed.values.help || !script) {
  process.stderr.write(`${usage}\n`);
  process.exit(parsed.values.help ? 0 : 2);
}

const dash = await startDashboard({
  port: parsed.values.port === undefined ? 0 : Number(parsed.values.port),
  host: parsed.values.host,
  token: parsed.values.token,
});
const reach = dash.local ? `bound to ${dash.host}: this machine only` : `bound to ${dash.host}: open to the network, guarded by the token in the URL`;
process.stderr.write(`prodcon dashboard: ${dash.url} (${reach})\n`);

// The script runs as if started directly: its workers without moduleUrl load it from argv[1].
const path = resolve(script);
const rest = process.argv.slice(process.argv.indexOf(script) + 1);
process.argv = [process.argv[0], path, ...rest];
await import(pathToFileURL(path).href);

if (parsed.values.exit) {
  await dash.close();
} else {
  process.stderr.write('prodcon dashboard: the script is done; the dashboard stays open until Ctrl-C\n');
  setInterval(() => {}, 1 << 30); // keeps the process (and so the dashboard) alive
}

/** The index of the first argument that is not an option (or an option's value). */
function firstPositional(args: string[]): number {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--exit' || arg === '--help') continue;
    if (arg.startsWith('--')) {
      if (!arg.includes('=')) index++;
      continue;
    }
    return index;
  }
  return args.length;
}
