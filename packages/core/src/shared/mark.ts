/*
 * How code tells a prodcon worker child from the main process. The child
 * entry sets the mark before it loads the user's module; the main side reads
 * it to refuse start() inside a child (a missing guard in a main script).
 */

/** Set on globalThis in a prodcon worker child, before it loads the user's module. */
const CHILD_MARK = Symbol.for('prodcon.childProcess');

/** True in the main process, false in a prodcon worker child. Guard the main script's own code with it. */
export function isMainProcess(): boolean {
  return (globalThis as Record<symbol, unknown>)[CHILD_MARK] !== true;
}

/** Marks this process as a prodcon worker child (the child entry calls it once). */
export function markAsChild(): void {
  (globalThis as Record<symbol, unknown>)[CHILD_MARK] = true;
}
