import { pathToFileURL } from 'node:url';
import { ConfigError, StateError } from '../shared/errors.js';
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
    throw new StateError(
      'ERR_START_IN_CHILD',
      `Worker '${name}'.start() was called inside a prodcon child process: the child loaded a module whose top-level code starts workers ` +
        '(the main script, when a class has no static moduleUrl). Guard that code with `if (isMainProcess()) { ... }`, ' +
        'or move the worker classes into their own module and set `static moduleUrl = import.meta.url`.',
    );
  }
}

/** Marks the framework's own classes (Worker, Producer, Consumer): never loaded as a user's worker class. */
export const FRAMEWORK_CLASS = Symbol('prodcon.frameworkClass');

const HOOKS = ['work', 'onStart', 'onStop', 'onMessage', 'workLoop', 'moduleUrl'];

/**
 * The class the child loads: the worker's own class, or, when that class only
 * adds main-process behaviour (an onResult override, no static hooks of its
 * own), the nearest ancestor that defines hooks. A subclass declared next to
 * the main code can thus customise callbacks without being exported.
 */
export function childClass(constructor: WorkerClassLike): WorkerClassLike {
  let current = constructor;
  for (;;) {
    if (HOOKS.some((hook) => Object.prototype.hasOwnProperty.call(current, hook))) return current;
    const parent = Object.getPrototypeOf(current) as WorkerClassLike | null;
    if (!parent || Object.prototype.hasOwnProperty.call(parent, FRAMEWORK_CLASS)) return current;
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

export function mainScriptUrl(name: string): string {
  const script = process.argv[1];
  if (!script) {
    throw new ConfigError(
      'ERR_INVALID_OPTION',
      `Worker '${name}': no main script to load the class from (REPL or -e?): set static moduleUrl = import.meta.url in the class`,
    );
  }
  return pathToFileURL(script).href;
}
