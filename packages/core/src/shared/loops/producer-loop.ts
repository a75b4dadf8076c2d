import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { WorkLoopControl } from '../hooks.js';
import { END } from '../end.js';
import { sleepUntil } from './sleep.js';

/** With workTimeout 0, hand the event loop over at least this often (ms) so sockets flush and messages arrive. */
const SLICE_MS = 2;
/** Further behind schedule than this (ms), the schedule restarts from now instead of bursting to catch up. */
const MAX_CATCH_UP_MS = 100;

/**
 * The framework's producer loop: onStart, then `work` immediately, then every
 * `workTimeout` ms on a drift-free schedule (each call is due at
 * start + n × workTimeout, not "workTimeout after the last one"), until a stop.
 * Before each call it waits while a lossless subscriber is full, so a slow
 * consumer slows the producer instead of growing a queue. It never spins: it
 * sleeps on a timer, waits for credit, or yields every few milliseconds.
 */
export async function producerLoop(control: WorkLoopControl): Promise<void> {
  await control.runOnStart();
  const period = control.workTimeout;
  let due = performance.now();
  let sliceStart = due;
  // Reading the clock costs as much as a small work call: flat out, look at it every few calls,
  // as many as fit in an eighth of a slice last time.
  let callsPerCheck = 1;
  let callsSinceCheck = 0;
  let callsThisSlice = 0;
  while (control.state === 'started') {
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
    }
    if (control.state !== 'started') break;

    if (period > 0) {
      const now = performance.now();
      due += period;
      if (now - due > MAX_CATCH_UP_MS) due = now;
      if (due > now) {
        await sleepUntil(due, control.ctx.signal);
        sliceStart = performance.now();
        continue;
      }
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

function isPromise(value: unknown): value is Promise<unknown> {
  return value instanceof Promise;
}
