import { CodecError, FrameError, ProdconError, ProtocolError } from '../src/index.js';

describe('the error root', () => {
  it.each([
    ['FrameError', FrameError],
    ['CodecError', CodecError],
    ['ProtocolError', ProtocolError],
  ] as const)('%s is a ProdconError with its own name, code and cause', (name, ErrorClass) => {
    const cause = new Error('underneath');
    const error = new ErrorClass('ERR_TEST', 'it failed', { cause });
    expect(error).toBeInstanceOf(ProdconError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.code).toBe('ERR_TEST');
    expect(error.message).toBe('it failed');
    expect(error.cause).toBe(cause);
  });

  it('names a bare ProdconError after its class', () => {
    const error = new ProdconError('ERR_TEST', 'it failed');
    expect(error.name).toBe('ProdconError');
    expect(error.cause).toBeUndefined();
  });
});
