import { constants } from 'node:os';

/** The signals prodcon handles for an application that does not: Ctrl-C, and a service manager's stop. */
const HANDLED = ['SIGINT', 'SIGTERM'] as const;
type HandledSignal = (typeof HANDLED)[number];

/** What a signal does, provided once by the package: stop everything gracefully, or kill it at once. */
export interface ShutdownActions {
  /** Stops every running unit gracefully (bounded by each worker's stopTimeout). */
  stopAll(): Promise<void>;
  /** Kills every child now. */
  killAll(): void;
}

let actions: ShutdownActions | undefined;
let enabled = true;
let armed = false;
let stopping = false;

/** Provides what a signal does (the package's index does it once, at load). */
export function setShutdownActions(provided: ShutdownActions): void {
  actions = provided;
}

/**
 * Turns the handling of SIGINT and SIGTERM on or off (on by default). Off:
 * the signals do what they would do without prodcon (the main process dies
 * at once; its children notice and stop by themselves).
 */
export function setSignalHandling(on: boolean): void {
  enabled = on;
  if (!on) disarm();
}

/**
 * Listens for SIGINT and SIGTERM once a worker starts (a process that never
 * starts one keeps the default behaviour).
 */
export function armSignalHandling(): void {
  if (!enabled || armed) return;
  armed = true;
  for (const signal of HANDLED) process.on(signal, onSignal);
}

function disarm(): void {
  if (!armed) return;
  armed = false;
  for (const signal of HANDLED) process.off(signal, onSignal);
}

/**
 * The application's own listener, if any, keeps full control: then prodcon
 * does nothing. Otherwise the first signal stops everything gracefully and
 * exits with the conventional status (128 + the signal's number: 130 for
 * SIGINT, 143 for SIGTERM); a second one during that stop kills every child
 * and exits at once.
 */
function onSignal(signal: HandledSignal): void {
  if (process.listenerCount(signal) > 1 || !actions) return;
  const status = 128 + constants.signals[signal];
  if (stopping) {
    actions.killAll();
    process.exit(status);
  }
  stopping = true;
  if (process.stderr.isTTY) {
    process.stderr.write(`\n[prodcon] ${signal}: stopping the workers gracefully (press Ctrl-C again to kill them now)\n`);
  }
  actions.stopAll().then(
    () => process.exit(status),
    () => process.exit(status),
  );
}
