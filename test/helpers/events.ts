import type { EventEmitter } from 'node:events';

/** Resolves with the first emitted value that satisfies `predicate`. */
export function nextEvent<T>(emitter: EventEmitter, event: string, predicate: (value: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const listener = (value: T) => {
      if (!predicate(value)) return;
      emitter.off(event, listener);
      resolve(value);
    };
    emitter.on(event, listener);
  });
}

/** Collects every emitted value into an array. */
export function collect<T>(emitter: EventEmitter, event: string): T[] {
  const values: T[] = [];
  emitter.on(event, (value: T) => values.push(value));
  return values;
}

/** Resolves once `collect`ed values reach `count` (checked on every emission). */
export function whenCount<T>(emitter: EventEmitter, event: string, values: T[], count: number): Promise<void> {
  if (values.length >= count) return Promise.resolve();
  return new Promise((resolve) => {
    const listener = () => {
      if (values.length < count) return;
      emitter.off(event, listener);
      resolve();
    };
    emitter.on(event, listener);
  });
}

/**
 * Waits until `condition` holds, checking every 20 ms, for state that has no
 * event of its own (counters reported by other processes). Fails after `timeoutMs`.
 */
export async function eventually(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
