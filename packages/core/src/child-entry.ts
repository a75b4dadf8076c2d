/**
 * The script every worker child runs. It is started by Worker.start() with
 * the main process's socket path and a one-time token in its environment.
 */
// Everything comes through the package index: the user's module imports that same index,
// so both share one instance of each module (and of its state).
import { __internals } from './index.js';

const { ChildLink, ChildRuntime, HookFailure, markAsChild, LINK_ENV } = __internals;
type ChildRuntime = InstanceType<typeof __internals.ChildRuntime>;

const linkPath = process.env[LINK_ENV.path];
const token = process.env[LINK_ENV.token];
// The worker's own children must not mistake themselves for prodcon children.
delete process.env[LINK_ENV.path];
delete process.env[LINK_ENV.token];

if (!linkPath || !token) {
  process.stderr.write("This is prodcon's worker entry point; it is started by Worker.start(), not by hand.\n");
  process.exit(2);
}

markAsChild();

let runtime: ChildRuntime | undefined;
let parentGone = false;
const onParentGone = () => {
  if (parentGone) return;
  parentGone = true;
  if (runtime) runtime.orphaned();
  else process.exit(1);
};

// Ctrl-C in a terminal, or a service manager's SIGTERM to the whole group, reaches the children too. They
// leave their stop to the main process, which stops them in order (producers first, queues drained), or to
// their lifelines if it is gone. SIGHUP too: a closed terminal ends the main process, and then the children.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {});

// Two lifelines: the IPC channel execa opened, and the link socket. Either closing means the main process is gone.
process.on('disconnect', onParentGone);
const link = ChildLink.connect(linkPath, token, onParentGone);

process.on('uncaughtException', (error) => {
  if (!runtime) {
    process.stderr.write(`prodcon worker failed before it started: ${error?.stack ?? String(error)}\n`);
    process.exit(1);
  }
  runtime.reportFailure(new HookFailure('work', error));
});
process.on('unhandledRejection', (reason) => {
  if (!runtime) {
    process.stderr.write(`prodcon worker failed before it started: ${String(reason)}\n`);
    process.exit(1);
  }
  runtime.reportFailure(new HookFailure('work', reason));
});

const spec = await link.init;
runtime = new ChildRuntime(spec, link);
await runtime.run();
await runtime.finish();
process.exit(0);
