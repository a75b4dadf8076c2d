import type { WorkLoopControl } from '../hooks.js';

/**
 * Sleeps until `performance.now()` reaches `deadline`, or until the worker's
 * state or steering changes (a stop, a pause, a new period), whichever comes
 * first; resolves true when the deadline came. It follows changes through a
 * listener removed on waking: racing the long-lived state-change promise
 * instead left a reaction (and what it held) on that promise at every call,
 * ~1 KB per call of a paced producer (5.5 MB in 5 s at 1 kHz, measured), and
 * AbortSignal.any() cost ~20 µs a call.
 */
export function sleepUntil(deadline: number, control: Pick<WorkLoopControl, 'onStateChange'>): Promise<boolean> {
  return new Promise((resolve) => {
    const wake = (deadlineCame: boolean) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(deadlineCame);
    };
    const timer = setTimeout(wake, Math.max(0, deadline - performance.now()), true);
    const unsubscribe = control.onStateChange(() => wake(false));
  });
}
