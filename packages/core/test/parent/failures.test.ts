import { callbackFailed, childFailed, exitedUnasked, memberFailed, stopTimedOut } from '../../src/parent/failures.js';
import { CallbackError, ProdconError, WorkerError, serializeError } from '../../src/shared/errors.js';

describe('failure messages', () => {
  it('name the worker and the phase, and keep the child error as the cause with its stack', () => {
    const thrown = new RangeError('out of range');
    const error = childFailed('reader', 'work', serializeError(thrown), undefined);
    expect(error).toBeInstanceOf(WorkerError);
    expect(error.message).toBe("Worker 'reader' failed in work: RangeError: out of range");
    expect((error.cause as Error).name).toBe('RangeError');
    expect(error.stack).toContain(thrown.stack!.split('\n')[1]!.trim());
  });

  it('leave out the name of a plain Error', () => {
    expect(childFailed('w', 'onStop', serializeError(new Error('x')), undefined).message).toBe("Worker 'w' failed in onStop: x");
  });

  it('keep a module failure as ERR_WORKER_MODULE with the loader message as is', () => {
    const serialized = { ...serializeError(new Error("Worker 'w': class W is not exported")), code: 'ERR_WORKER_MODULE' };
    const error = childFailed('w', 'onStart', serialized, undefined);
    expect(error.code).toBe('ERR_WORKER_MODULE');
    expect(error.message).toBe("Worker 'w': class W is not exported");
  });

  it('tell an exit after the link from one before it', () => {
    expect(exitedUnasked('w', { exitCode: 3, signal: undefined, linked: true }).message).toBe(
      "Worker 'w': its child process exited with code 3 without being asked to stop",
    );
    expect(exitedUnasked('w', { exitCode: 1, signal: undefined, linked: false }).message).toContain('before it connected');
  });

  it('say how long a stop waited', () => {
    expect(stopTimedOut('w', 250, 'onStop')).toMatchObject({
      code: 'ERR_STOP_TIMEOUT',
      phase: 'onStop',
      message: "Worker 'w' did not stop within 250 ms: its onStop did not return (does it wait without ctx.signal?), so its child was killed",
    });
  });

  it("wrap a pool member's non-worker error, and pass a WorkerError through", () => {
    const original = new WorkerError('ERR_WORKER_EXITED', { worker: 'p-1', phase: 'exit', message: 'gone' });
    expect(memberFailed('p-1', original)).toBe(original);
    expect(memberFailed('p-2', new Error('listener broke'))).toMatchObject({ worker: 'p-2', code: 'ERR_WORKER_FAILED' });
  });

  it('name the worker and the callback that failed, keeping what was thrown as the cause', () => {
    const thrown = new TypeError('no such field');
    const error = callbackFailed({ kind: 'Worker', name: 'sink' }, 'onResult', thrown);
    expect(error).toBeInstanceOf(CallbackError);
    expect(error).toBeInstanceOf(ProdconError);
    expect(error).toMatchObject({ code: 'ERR_CALLBACK_FAILED', worker: 'sink', callback: 'onResult', cause: thrown });
    expect(error.message).toBe("Worker 'sink': its onResult failed in the main process: TypeError: no such field");
    expect(callbackFailed({ kind: 'ConsumerPool', name: 'parse' }, "'result' listener", new Error('x')).message).toBe(
      "ConsumerPool 'parse': its 'result' listener failed in the main process: x",
    );
  });

  it('describe a non-error thrown by a callback', () => {
    expect(callbackFailed({ kind: 'Worker', name: 'w' }, 'onMessage', 42).message).toBe(
      "Worker 'w': its onMessage failed in the main process: a non-error value: 42",
    );
  });
});
