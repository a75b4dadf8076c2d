import type { WorkContext, WorkLoopControl } from '../shared/hooks.js';
import type { WorkerSpec } from '../shared/protocol.js';

/** The static side of a Producer or Consumer subclass, as the child calls it. */
export interface WorkerClassShape {
  name: string;
  onStart(ctx: WorkContext): unknown;
  work(...args: unknown[]): unknown;
  onStop(ctx: WorkContext): unknown;
  /** Optional: handles each message from the main process in the child; its return value is the reply. */
  onMessage?(message: unknown, ctx: WorkContext): unknown;
  /** Optional (producers): how many items it will produce in all, for progress. */
  total?(ctx: WorkContext): unknown;
  workLoop(control: WorkLoopControl): Promise<void> | void;
}

/** A failure to find the worker's class: reported as ERR_WORKER_MODULE. */
export class ModuleError extends Error {
  override name = 'ModuleError';
}

/**
 * Imports the worker's module and finds its class by name among the
 * module's exports (named or default).
 */
export async function loadWorkerClass(spec: WorkerSpec): Promise<WorkerClassShape> {
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(spec.moduleUrl)) as Record<string, unknown>;
  } catch (error) {
    throw new ModuleError(loadFailure(spec, error), { cause: error });
  }
  const candidates = new Set<unknown>(Object.values(namespace));
  const defaultExport = namespace.default as Record<string, unknown> | undefined;
  if (defaultExport && typeof defaultExport === 'object') for (const value of Object.values(defaultExport)) candidates.add(value);
  for (const candidate of candidates) {
    if (typeof candidate === 'function' && candidate.name === spec.className) {
      const shape = candidate as unknown as WorkerClassShape;
      if (typeof shape.workLoop !== 'function' || typeof shape.work !== 'function') {
        throw new ModuleError(
          `Worker '${spec.name}': the export ${spec.className} of ${spec.moduleUrl} is not a Producer or Consumer subclass.`,
        );
      }
      return shape;
    }
  }
  throw new ModuleError(
    `Worker '${spec.name}': class ${spec.className} is not exported from ${spec.moduleUrl}. ` +
      `prodcon loads the class in the child process by module and name: export it (export class ${spec.className} ...), ` +
      `and if it is defined in another module than that one, set static moduleUrl = import.meta.url in its class.`,
  );
}

/** Why the worker's module did not load, and what to do about it. */
function loadFailure(spec: WorkerSpec, error: unknown): string {
  const { name, moduleUrl, className } = spec;
  const module = spec.moduleIsMainScript ? `the main script ${moduleUrl} (class ${className} has no static moduleUrl)` : `its module ${moduleUrl}`;
  if ((error as { code?: unknown })?.code === 'ERR_START_IN_CHILD') {
    // The module starts workers at its top level: the child, which loads it to find the class, must not run that.
    const fix = spec.moduleIsMainScript
      ? 'or move the worker classes into a module of their own, with static moduleUrl = import.meta.url'
      : 'or move the code that starts workers out of that module';
    return `Worker '${name}': ${module} starts workers when it is loaded, and the child process loads it to find class ${className}. Guard that code with \`if (isMainProcess()) { ... }\`, ${fix}.`;
  }
  const reason = String((error as Error)?.message ?? error).replace(/\.+$/, '');
  const fix = spec.moduleIsMainScript
    ? `Set static moduleUrl = import.meta.url in class ${className}, in the module that defines it.`
    : `Check the class's static moduleUrl (set it to import.meta.url in the module that defines ${className}).`;
  return `Worker '${name}': cannot load ${module}: ${reason}. ${fix}`;
}
