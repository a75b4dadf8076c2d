import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { END } from '../end.js';
import type { WorkLoopControl } from '../hooks.js';
import { sleepUntil } from './sleep.js';

/** With workTimeout 0, hand the event loop over at least this often (ms) so sockets flush and messages arrive. */
const SLICE_MS = 2;
/** Further behind schedule than this (ms), the schedule restarts from now instead of bursting to catch up. */
const MAX_CATCH_UP_MS = 100;
/**
 * The default ceiling of the idle back-off (ms): see ProducerOptions.idleBackoffMs. Each idle wake
 * costs ~0.1 ms of CPU here, so 16 ms keeps an idle producer near 1.5% of a core (4 ms cost 3.4%).
 */
export const DEFAULT_IDLE_BACKOFF_MS = 16;
/** Idle rounds that only yield before the back-off starts sleeping: a brief lull costs no timer. */
const IDLE_YIELDS = 3;

/**
 * The framework's producer loop: onStart, then `work` immediately, then every
 * `workTimeout` ms on a drift-free schedule (each call is due at the last
 * one's due time + workTimeout, not "workTimeout after it returned"), until
 * a stop. Before each call it waits while a lossless subscriber is full, so a
 * slow consumer slows the producer instead of growing a queue. It never
 * spins: it sleeps on a timer, waits for credit, yields every few
 * milliseconds, and backs off while `work` produces nothing (workTimeout 0).
 * A new period (setWorkTimeout) applies from the next call; while paused it
 * calls nothing, and calls at once on resume.
 */
export async function producerLoop(control: WorkLoopControl): Promise<void> {
  await control.runOnStart();
  let due = performance.now();
  let sliceStart = due;
  let idleRounds = 0;
  // Reading the clock costs as much as a small work call: flat out, look at it every few calls,
  // as many as fit in an eighth of a slice last time.
  let callsPerCheck = 1;
  let callsSinceCheck = 0;
  let callsThisSlice = 0;
  while (control.state === 'started') {
    if (control.paused) {
      await control.whenStateChanges();
      due = sliceStart = performance.now();
      continue;
    }
    const blocked = control.whenSubscribersWritable();
    if (blocked) {
      await blocked;
      if (control.state !== 'started') break;
    }

    let item = control.runWork();
    if (isPromise(item)) item = await item;
    if (item === END) {
      control.ctx.stop(); // the end of a finite stream: stop, and downstream learns it from our writers' end
      break;
    }
    if (item !== undefined) {
      const publishing = control.publish(item);
      if (publishing) await publishing;
      const reporting = control.reportResult(item);
      if (reporting) await reporting;
      // Items every subscriber refuses (its consumer is gone) make the loop back off like nothing new would.
      idleRounds = control.refused ? idleRounds + 1 : 0;
    } else {
      idleRounds++;
    }
    if (control.state !== 'started') break;

    if (control.workTimeout > 0) {
      due = await waitForNextCall(control, due);
      sliceStart = performance.now();
      continue;
    }
    due = performance.now();
    if (idleRounds > IDLE_YIELDS && control.idleBackoffMs > 0) {
      const backoff = Math.min(control.idleBackoffMs, 2 ** (idleRounds - IDLE_YIELDS - 1));
      await sleepUntil(performance.now() + backoff, control);
      sliceStart = performance.now();
      continue;
    }
    if (idleRounds > 0) {
      await yieldToEventLoop();
      sliceStart = performance.now();
      continue;
    }
    callsThisSlice++;
    if (++callsSinceCheck < callsPerCheck) continue;
    callsSinceCheck = 0;
    if (performance.now() - sliceStart >= SLICE_MS) {
      callsPerCheck = Math.max(1, callsThisSlice >> 3);
      callsThisSlice = 0;
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
}

/**
 * Sleeps until the next call is due (`last` + the current period) and
 * returns when that was. A change of period, a pause or a stop while it
 * sleeps wakes it: it then looks again at the period from `last`.
 */
async function waitForNextCall(control: WorkLoopControl, last: number): Promise<number> {
  for (;;) {
    const now = performance.now();
    let due = last + control.workTimeout;
    if (now - due > MAX_CATCH_UP_MS) due = now;
    if (due <= now || control.state !== 'started' || control.paused) return due;
    control.flushSubscribers(); // what the last call produced leaves now, not after the rest of the turn
    if (await sleepUntil(due, control)) return due;
  }
}

function isPromise(value: unknown): value is Promise<unknown> {
  return value instanceof Promise;
}
