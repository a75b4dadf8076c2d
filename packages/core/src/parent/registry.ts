/**
 * Every worker, pool, pipeline and queue this process created, held weakly (a
 * unit the application dropped can still be collected). It is how prodcon
 * finds what to stop when the process gets a signal, and what a dashboard or
 * an exporter shows, with no registration call from the application.
 */
export type UnitKind = 'worker' | 'pool' | 'pipeline' | 'queue';

const units: Record<UnitKind, Set<WeakRef<object>>> = { worker: new Set(), pool: new Set(), pipeline: new Set(), queue: new Set() };
const listeners = new Set<(kind: UnitKind, unit: object) => void>();

/** Records a unit (its constructor calls it), and tells whoever watches. */
export function register(kind: UnitKind, unit: object): void {
  units[kind].add(new WeakRef(unit));
  for (const listener of listeners) listener(kind, unit);
}

/** Calls `listener` for every unit registered from now on; returns how to stop. */
export function onRegistered(listener: (kind: UnitKind, unit: object) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The units of `kind` still alive, in the order they were created. */
export function registered<T extends object>(kind: UnitKind): T[] {
  const alive: T[] = [];
  for (const reference of units[kind]) {
    const unit = reference.deref();
    if (unit) alive.push(unit as T);
    else units[kind].delete(reference);
  }
  return alive;
}
