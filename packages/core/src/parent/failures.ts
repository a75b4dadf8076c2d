import type { EngineNewsCode } from '@prodcon/ipc';
import { CallbackError, WorkerError, deserializeError, type SerializedError, type WorkerPhase } from '../shared/errors.js';
import { describe } from '../shared/describe.js';

/*
 * Every WorkerError the main process raises, and its message: one place, so
 * that messages stay consistent (they name the worker first) and can be read
 * side by side.
 */

/** A hook threw in the child (or its module could not be loaded). */
export function childFailed(worker: string, phase: WorkerPhase, serialized: SerializedError, held: unknown[] | undefined): WorkerError {
  const cause = deserializeError(serialized);
  if (serialized.code === 'ERR_WORKER_MODULE') {
    return new WorkerError('ERR_WORKER_MODULE', { worker, phase, message: serialized.message, cause, held });
  }
  const prefix = serialized.name === 'Error' ? '' : `${serialized.name}: `;
  return new WorkerError('ERR_WORKER_FAILED', {
    worker,
    phase,
    message: `Worker '${worker}' failed in ${phase}: ${prefix}${serialized.message}`,
    cause,
    held,
  });
}

/**
 * News of an engine queue the worker uses, from its child (see ChildControl
 * `engineNews`): not a failure (`fatal` is false). `phase`: the hook the
 * child was in.
 */
export function engineNews(worker: string, phase: WorkerPhase, code: EngineNewsCode, serialized: SerializedError): WorkerError {
  return new WorkerError(code, {
    worker,
    phase,
    message: `Worker '${worker}' (still running): ${serialized.message}`,
    cause: deserializeError(serialized),
    fatal: false,
  });
}

/** The child exited (or was killed) without being asked to stop. */
export function exitedUnasked(
  worker: string,
  exit: { exitCode: number | undefined; signal: string | undefined; linked: boolean },
): WorkerError {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.exitCode}`;
  return new WorkerError('ERR_WORKER_EXITED', {
    worker,
    phase: 'exit',
    message: exit.linked
      ? `Worker '${worker}': its child process ${how} without being asked to stop`
      : `Worker '${worker}': its child process ${how} before it connected (see its output above)`,
    exitCode: exit.exitCode,
    signal: exit.signal,
  });
}

/** A stop() was asked for before onStart returned: the pending start() rejects with this. */
export function stoppedBeforeStarted(worker: string): WorkerError {
  return new WorkerError('ERR_WORKER_EXITED', {
    worker,
    phase: 'onStart',
    message: `Worker '${worker}' was stopped before its onStart returned`,
  });
}

/** stop({ timeout }) ran out and the child was killed while in `phase` (the hook that did not return, or prodcon's own end of the run). */
export function stopTimedOut(worker: string, timeout: number, phase: WorkerPhase): WorkerError {
  return new WorkerError('ERR_STOP_TIMEOUT', {
    worker,
    phase,
    message: `Worker '${worker}' did not stop within ${timeout} ms: ${STUCK_IN[phase] ?? `its ${phase} did not return (does it wait without ctx.signal?)`}, so its child was killed`,
  });
}

/** Where the child was stuck, for the phases after the user's hooks: prodcon's, not the hook's. */
const STUCK_IN: Partial<Record<WorkerPhase, string>> = {
  flushing:
    'its hooks had returned; it was still flushing its writers (items it accepted, waiting for room or for a pool member to acknowledge them: ' +
    'is a consumer downstream stuck?)',
  closing: 'its hooks had returned and its writers were flushed; it was still closing its queue and its link',
};

/** The child did not connect back in time (it was killed). */
export function didNotConnect(worker: string, timeout: number): WorkerError {
  return new WorkerError('ERR_WORKER_SPAWN', {
    worker,
    phase: 'onStart',
    message:
      `Worker '${worker}': its child process did not connect within ${timeout} ms and was killed ` +
      '(a hung --import hook or loader, or Node.js flags that make it run something else?)',
  });
}

/** No child process could be started. */
export function spawnFailed(worker: string, cause: unknown): WorkerError {
  return new WorkerError('ERR_WORKER_SPAWN', {
    worker,
    phase: 'onStart',
    message: `Worker '${worker}': cannot start a child process: ${(cause as Error)?.message ?? 'unknown error'}`,
    cause,
  });
}

/** No file holds the worker's class, so no child can load it. */
export function noModuleFile(worker: string, why: string): WorkerError {
  return new WorkerError('ERR_WORKER_MODULE', {
    worker,
    phase: 'onStart',
    message:
      `Worker '${worker}': no child process can load its class: ${why}. ` +
      'Put the worker classes in a module file (with `static moduleUrl = import.meta.url`) and import them from the main code.',
  });
}

/** The worker's module is TypeScript and no loader can run it. */
export function noTypeScriptLoader(worker: string, moduleUrl: string): WorkerError {
  return new WorkerError('ERR_WORKER_MODULE', {
    worker,
    phase: 'onStart',
    message:
      `Worker '${worker}' is defined in TypeScript (${moduleUrl}) and no TypeScript loader is available: ` +
      'install tsx (npm i -D tsx) or run the main process with tsx.',
  });
}

/** A pool member failed with something other than a WorkerError (an 'error' listener's own failure, say). */
export function memberFailed(member: string, error: Error): WorkerError {
  if (error instanceof WorkerError) return error;
  return new WorkerError('ERR_WORKER_FAILED', { worker: member, phase: 'work', message: error.message, cause: error });
}

/**
 * A user callback in the main process (`callback`: `onResult`, `'result' listener`...)
 * of `owner` (`Worker 'name'`, `ConsumerPool 'name'`, `Pipeline 'a → b'`) threw
 * or rejected with `thrown`.
 */
export function callbackFailed(owner: { kind: string; name: string }, callback: string, thrown: unknown): CallbackError {
  const what = thrown instanceof Error ? `${thrown.name === 'Error' ? '' : `${thrown.name}: `}${thrown.message}` : `a non-error value: ${describe(thrown)}`;
  return new CallbackError({
    worker: owner.name,
    callback,
    message: `${owner.kind} '${owner.name}': its ${callback} failed in the main process: ${what}`,
    cause: thrown,
  });
}
