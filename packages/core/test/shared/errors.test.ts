import { WorkerError, deserializeError, serializeError } from '../../src/shared/errors.js';

describe('errors across the process boundary', () => {
  it('keep name, message, code, stack and cause', () => {
    const original = Object.assign(new TypeError('bad', { cause: new Error('root') }), { code: 'E_BAD' });
    const rebuilt = deserializeError(JSON.parse(JSON.stringify(serializeError(original))));
    expect(rebuilt.name).toBe('TypeError');
    expect(rebuilt.message).toBe('bad');
    expect((rebuilt as Error & { code?: string }).code).toBe('E_BAD');
    expect(rebuilt.stack).toBe(original.stack);
    expect((rebuilt.cause as Error).message).toBe('root');
  });

  it('turn thrown non-errors into errors that say what was thrown', () => {
    expect(serializeError('plain string').message).toBe('A non-error value was thrown: plain string');
    expect(serializeError({ reason: 1 }).message).toBe('A non-error value was thrown: {"reason":1}');
  });

  it("give a WorkerError the child's stack under its own headline", () => {
    const child = new RangeError('deep');
    const error = new WorkerError('ERR_WORKER_FAILED', { worker: 'w', phase: 'work', message: "Worker 'w' failed in work: deep", cause: child });
    expect(error.stack!.split('\n')[0]).toBe("WorkerError [ERR_WORKER_FAILED]: Worker 'w' failed in work: deep");
    expect(error.stack).toContain(child.stack!.split('\n')[1]!.trim());
    expect(error.cause).toBe(child);
    expect(error.phase).toBe('work');
  });
});

describe('the error classes', () => {
  it('share one root with the transport errors, so one instanceof check catches every prodcon error', async () => {
    const { CodecError, ConfigError, ProdconError, StateError, WorkerError: PublicWorkerError } = await import('../../src/index.js');
    const errors = [
      new CodecError('ERR_CODEC_UNSUPPORTED_VALUE', 'x'),
      new ConfigError('ERR_INVALID_OPTION', 'x'),
      new StateError('ERR_WORKER_NOT_RUNNING', 'x'),
      new PublicWorkerError('ERR_WORKER_FAILED', { worker: 'w', phase: 'work', message: 'x' }),
    ];
    for (const error of errors) expect(error).toBeInstanceOf(ProdconError);
  });
});
