/**
 * Sleeps until `performance.now()` reaches `deadline`, or until `signal`
 * aborts (then it resolves early: a stop must not wait for a period to end).
 */
export function sleepUntil(deadline: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    const timer = setTimeout(finish, Math.max(0, deadline - performance.now()));
    signal.addEventListener('abort', finish, { once: true });
  });
}
