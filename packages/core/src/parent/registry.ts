/**
 * Every worker, pool and pipeline this process created, held weakly (a unit
 * the application dropped can still be collected). It is how prodcon finds
 * what to stop when the process gets a signal, with no registration call from
 * the application.
 */
export type UnitKind = 'worker' | 'pool' | 'pipeline';

const units: Record<UnitKind, Set<WeakRef<object>>> = { worker: new Set(), pool: new Set(), pipeline: new Set() };

/** Records a unit (its constructor calls it). */
export function register(kind: UnitKind, unit: object): void {
  units[kind].add(new WeakRef(unit));
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
