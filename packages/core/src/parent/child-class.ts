import { pathToFileURL } from 'node:url';
import { ConfigError, StateError } from '../shared/errors.js';
import { noModuleFile } from './failures.js';
import { isMainProcess } from '../shared/mark.js';

/*
 * Which module and class a child loads for a worker, and the guard that keeps
 * a main script's own code from running in the children that load it.
 */

/** The static side of a worker class, as far as finding its child class goes. */
export interface WorkerClassLike {
  readonly name: string;
  moduleUrl?: string;
}

export function assertMainProcess(name: string): void {
  if (!isMainProcess()) {
    // Usually thrown while a child loads a module to find its class; the child's loader turns it
    // into an ERR_WORKER_MODULE that names that module (child/load-module.ts).
    throw new StateError(
      'ERR_START_IN_CHILD',
      `Worker '${name}': start() was called inside a prodcon worker process; start workers from the main process only, ` +
        'and guard module code that starts them with `if (isMainProcess()) { ... }`',
    );
  }
}

/** Marks the framework's own classes (Worker, Producer, Consumer): never loaded as a user's worker class. */
export const FRAMEWORK_CLASS = Symbol('prodcon.frameworkClass');

/**
 * Marks a class made by defineProducer/defineConsumer: it holds the hooks but
 * has no name of its own to be found by, so the user's class that extends it
 * (`export class Sensor extends defineProducer(...) {}`) is the one a child loads.
 */
export const DEFINED_HOOKS = Symbol('prodcon.definedHooks');

/** The static members that make a class the one its child loads (and that a definition may hold). */
export const WORKER_HOOKS = ['work', 'onStart', 'onStop', 'onMessage', 'workLoop', 'moduleUrl'] as const;

const owns = (target: object, key: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(target, key);

/**
 * The class the child loads: the worker's own class, or, when that class only
 * adds main-process behaviour (an onResult override, no static hooks of its
 * own), the nearest ancestor that defines hooks. A subclass declared next to
 * the main code can thus customise callbacks without being exported. A class
 * made by defineProducer/defineConsumer is never chosen: its direct subclass
 * stands for it.
 */
export function childClass(constructor: WorkerClassLike): WorkerClassLike {
  let current = constructor;
  for (;;) {
    if (!owns(current, DEFINED_HOOKS) && WORKER_HOOKS.some((hook) => owns(current, hook))) return current;
    const parent = Object.getPrototypeOf(current) as WorkerClassLike | null;
    if (!parent || owns(parent, FRAMEWORK_CLASS) || owns(parent, DEFINED_HOOKS)) return current;
    current = parent;
  }
}

/**
 * The name a worker of `constructor` goes by unless given one: its own class
 * name, or, for an anonymous subclass that only adds main-process behaviour,
 * the name of the class the child loads.
 * @throws ConfigError when the class the child would load has no name: the
 *   child finds it among its module's exports by name.
 */
export function defaultWorkerName(constructor: WorkerClassLike): string {
  const loaded = childClass(constructor);
  if (!loaded.name) {
    throw new ConfigError(
      'ERR_INVALID_OPTION',
      'A worker class must have a name: its child process finds it among its module\'s exports by name. ' +
        'Declare it as `export class Sensor extends Producer { ... }` rather than as an anonymous class expression.',
    );
  }
  return constructor.name || loaded.name;
}

/** Modules no child can import: code given with `node -e`/`-p`, or read from stdin. */
const NOT_A_FILE = /\[(?:eval\d*|stdin)\]$/;

/**
 * The module a child loads for a class: its `moduleUrl`, or the main script.
 * @throws WorkerError (ERR_WORKER_MODULE) when that is no file: the main code came from `node -e`, `-p`, stdin or a REPL.
 */
export function workerModuleUrl(name: string, moduleUrl: string | undefined): string {
  if (moduleUrl !== undefined) {
    if (NOT_A_FILE.test(moduleUrl)) throw noModuleFile(name, `its moduleUrl is ${moduleUrl}`);
    return moduleUrl;
  }
  const script = process.argv[1];
  if (!script || script === '-') throw noModuleFile(name, 'the main code has no file (node -e, -p, stdin or a REPL)');
  return pathToFileURL(script).href;
}
