import { CONNECT_RETRY_LIMIT_MS, ConnectRetry, isTransientConnectError } from '../../src/queue/connect-retry.js';

describe('ConnectRetry', () => {
  it('backs off from 5 ms, doubling up to 500 ms, until the limit has passed since the first failure', () => {
    const retry = new ConnectRetry(2000);
    const delays: number[] = [];
    let now = 1000;
    for (;;) {
      const delay = retry.failed(now);
      if (delay === undefined) break;
      delays.push(delay);
      now += delay;
    }
    expect(delays.slice(0, 8)).toEqual([5, 10, 20, 40, 80, 160, 320, 500]);
    expect(delays.reduce((sum, delay) => sum + delay, 0)).toBe(2000); // the last delay is cut to the limit
    expect(retry.failures).toBe(delays.length + 1);
    expect(retry.elapsed(now)).toBe(2000);
  });

  it('defaults to 30 s', () => {
    expect(new ConnectRetry().limitMs).toBe(CONNECT_RETRY_LIMIT_MS);
    expect(CONNECT_RETRY_LIMIT_MS).toBe(30_000);
  });
});

describe('isTransientConnectError', () => {
  const failure = (code: string) => Object.assign(new Error(code), { code });

  it('retries a full backlog, nobody listening, and a connection cut before any answer', () => {
    for (const code of ['EAGAIN', 'ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE']) expect(isTransientConnectError(failure(code))).toBe(true);
    expect(isTransientConnectError(undefined)).toBe(true);
  });

  it('does not retry what another attempt cannot fix', () => {
    for (const code of ['EACCES', 'ENOTSOCK', 'EINVAL']) expect(isTransientConnectError(failure(code))).toBe(false);
  });
});
