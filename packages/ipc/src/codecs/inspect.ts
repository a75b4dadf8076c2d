import { types } from 'node:util';
import { CodecError } from '../errors.js';

/**
 * How much machinery a batch of values needs to cross a process boundary
 * intact. The codecs use it to refuse what nothing can carry, and the auto
 * codec to pick the cheapest codec that carries the batch without loss.
 */
export type ValueKind = typeof PLAIN | typeof STRUCTURED | typeof CLASSY;
/** JSON carries it exactly. */
export const PLAIN = 0;
/**
 * Needs v8 serialisation: undefined, BigInt, NaN, -0, Date, Map, Set, RegExp,
 * typed arrays, holes, and an object reached twice (a cycle, or a shared
 * reference: JSON would fail on the one and copy the other).
 */
export const STRUCTURED = 1;
/** Needs superjson: class instances (registered classes revive), errors. */
export const CLASSY = 2;

/** Beyond this depth the walk stops looking and assumes v8 (which handles depth and cycles). */
const MAX_WALK_DEPTH = 64;

/** What a walk over values found: their kind, and a size estimate. */
export interface Inspection {
  kind: ValueKind;
  /** Sum of string lengths seen: a cheap estimate of the encoded size. */
  stringChars: number;
  /** Values walked (primitives, objects, elements): with stringChars, a bound on the encoded size. */
  units: number;
  /**
   * The keys every value walked so far has, when each is a flat object (plain,
   * no object inside, no "__proto__" key) with the same keys in the same order:
   * the auto codec can then send the batch as columns. Absent before the
   * first value; null once a value did not fit.
   */
  shape?: readonly string[] | null;
}

/**
 * Classifies one value in one walk. Callers inspect each value where it enters
 * a channel, so that a bad value fails at the call that sent it, not later at
 * a flush, and so that a batch's codec is known without walking it again.
 * @param label names the value in error messages ("message", "result of work").
 * @throws CodecError when a function or symbol appears anywhere: JSON would drop
 *   them silently, so we refuse them with the path to the offender.
 */
export function inspectValue(value: unknown, label = 'value', into?: Inspection): Inspection {
  const state: Inspection = into ?? { kind: PLAIN, stringChars: 0, units: 0 };
  if (!walkTop(value, state)) throw unsupportedValueError(value, label);
  return state;
}

/** Classifies a whole batch (for callers that did not inspect values one by one). */
export function inspectValues(values: readonly unknown[], label = 'value'): Inspection {
  const state: Inspection = { kind: PLAIN, stringChars: 0, units: 0 };
  for (let index = 0; index < values.length; index++) {
    if (!walkTop(values[index], state)) throw unsupportedValueError(values[index], `${label}[${index}]`);
  }
  return state;
}

/** Adds one value's inspection (`from`, made by inspectValue) to a batch's (`into`). */
export function mergeInspection(into: Inspection, from: Inspection): void {
  if (from.kind > into.kind) into.kind = from.kind;
  into.stringChars += from.stringChars;
  into.units += from.units;
  if (into.shape === null) return;
  const shape = from.shape ?? null;
  if (into.shape === undefined || shape === null) into.shape = shape;
  else if (into.shape !== shape && !sameKeys(into.shape, shape)) into.shape = null;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

/**
 * The last shape a walk found, so that a stream of objects of one shape
 * compares keys against it instead of listing them again (and values
 * inspected one by one share one keys array, which merges by identity).
 */
let lastShape: readonly string[] = [];

/** Walks one value, noting whether it is a flat object of the batch's shape (see Inspection.shape). */
function walkTop(value: unknown, state: Inspection): boolean {
  if (state.shape === null || typeof value !== 'object' || value === null || Array.isArray(value) || !hasRootPrototype(value)) {
    state.shape = null;
    return walk(value, 0, state, new Visited());
  }
  return walkRow(value as Record<string, unknown>, state);
}

/** The walk of a plain object at the top, which also compares its keys with the expected shape as it goes. */
function walkRow(row: Record<string, unknown>, state: Inspection): boolean {
  state.units++;
  // Made only when an object is met: flat rows, the common case, allocate nothing.
  let visited: Visited | undefined;
  const expected = state.shape ?? lastShape;
  let matches = true;
  let flat = true;
  let count = 0;
  for (const key in row) {
    const value = row[key];
    if (matches && key !== expected[count]) matches = false;
    count++;
    // The usual values inline (this loop runs once per item sent); anything else through walk().
    if (typeof value === 'string') {
      state.units++;
      state.stringChars += value.length;
    } else if (typeof value === 'number' && Number.isFinite(value) && (value !== 0 || 1 / value > 0)) {
      state.units++;
    } else if (typeof value === 'boolean' || value === null) {
      state.units++;
    } else if (typeof value === 'object') {
      flat = false;
      if (!visited) {
        visited = new Visited();
        visited.enter(row);
      }
      if (!walk(value, 1, state, visited)) return false;
    } else if (!walk(value, 1, state, PRIMITIVE)) return false;
  }
  if (!flat) state.shape = null;
  else if (matches && count === expected.length) state.shape = expected;
  else if (state.shape !== undefined) state.shape = null;
  else {
    state.shape = rowShape(row);
    if (state.shape) lastShape = state.shape;
  }
  return true;
}

/** The keys of a flat row, or null when one of them is "__proto__" (the receiver would set a prototype). */
function rowShape(row: object): readonly string[] | null {
  const keys: string[] = [];
  for (const key in row) keys.push(key);
  return keys.includes('__proto__') ? null : keys;
}

/**
 * The objects one value's walk has entered. A walk enters each object once:
 * it terminates on any graph (cycles, references shared many times over), and
 * an object met again makes the value STRUCTURED. Most values hold at most one
 * object, so the set is made only when a second one comes.
 */
class Visited {
  #first: object | undefined;
  #set: Set<object> | undefined;

  /** Records `object`; false when this walk entered it before. */
  enter(object: object): boolean {
    if (this.#set) {
      if (this.#set.has(object)) return false;
      this.#set.add(object);
      return true;
    }
    if (this.#first === undefined) {
      this.#first = object;
      return true;
    }
    if (this.#first === object) return false;
    this.#set = new Set([this.#first, object]);
    return true;
  }
}

/** What a primitive's walk is given: it records nothing there. */
const PRIMITIVE = new Visited();

function walk(value: unknown, depth: number, state: Inspection, visited: Visited): boolean {
  state.units++;
  switch (typeof value) {
    case 'string':
      state.stringChars += value.length;
      return true;
    case 'number':
      if ((!Number.isFinite(value) || Object.is(value, -0)) && state.kind < STRUCTURED) state.kind = STRUCTURED;
      return true;
    case 'boolean':
      return true;
    case 'bigint':
      state.units += value > 0xffffffffffffffffn || value < -0xffffffffffffffffn ? value.toString(16).length >> 3 : 0;
      if (state.kind < STRUCTURED) state.kind = STRUCTURED;
      return true;
    case 'undefined':
      if (state.kind < STRUCTURED) state.kind = STRUCTURED;
      return true;
    case 'object':
      if (value === null) return true;
      if (depth >= MAX_WALK_DEPTH || !visited.enter(value)) {
        if (state.kind < STRUCTURED) state.kind = STRUCTURED;
        return true;
      }
      return walkObject(value, depth + 1, state, visited);
    default:
      // function, symbol
      return false;
  }
}

function walkArray(array: readonly unknown[], depth: number, state: Inspection, visited: Visited): boolean {
  for (let index = 0; index < array.length; index++) {
    if (!(index in array) && state.kind < STRUCTURED) state.kind = STRUCTURED; // a hole: JSON would write null
    if (!walk(array[index], depth, state, visited)) return false;
  }
  return true;
}

function walkObject(value: object, depth: number, state: Inspection, visited: Visited): boolean {
  if (Array.isArray(value)) return walkArray(value, depth, state, visited);
  if (hasRootPrototype(value)) {
    for (const key in value) {
      if (!walk((value as Record<string, unknown>)[key], depth, state, visited)) return false;
    }
    return true;
  }
  if (types.isDate(value) || types.isRegExp(value) || ArrayBuffer.isView(value) || types.isAnyArrayBuffer(value)) {
    if (state.kind < STRUCTURED) state.kind = STRUCTURED;
    if (ArrayBuffer.isView(value)) state.stringChars += value.byteLength;
    return true;
  }
  if (types.isMap(value)) {
    if (state.kind < STRUCTURED) state.kind = STRUCTURED;
    for (const [key, entry] of value) {
      if (!walk(key, depth, state, visited) || !walk(entry, depth, state, visited)) return false;
    }
    return true;
  }
  if (types.isSet(value)) {
    if (state.kind < STRUCTURED) state.kind = STRUCTURED;
    for (const entry of value) if (!walk(entry, depth, state, visited)) return false;
    return true;
  }
  // A class instance or an error: only superjson revives those (registered classes by identifier).
  state.kind = CLASSY;
  for (const key of Object.keys(value)) {
    if (!walk((value as Record<string, unknown>)[key], depth, state, visited)) return false;
  }
  return true;
}

/** A root prototype, of this realm or another (values decoded by v8 in a vm context, for instance), or none. */
function hasRootPrototype(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
}

/** Slow path, run only after a failed walk: finds the offending value and names its path. */
export function unsupportedValueError(value: unknown, label: string): CodecError {
  const found = findUnsupported(value, '', new Set());
  const where = found ? `${label}${found.path}` : label;
  const what = found ? (typeof found.value === 'function' ? 'a function' : 'a symbol') : 'a value';
  return new CodecError(
    'ERR_CODEC_UNSUPPORTED_VALUE',
    `Cannot send ${what} at ${where}: functions and symbols cannot cross a process boundary. ` +
      'Send plain data (or an instance of a class registered with registerClass) instead.',
  );
}

/** True when a function or symbol hides anywhere in `value`. */
export function hasUnsupportedValue(value: unknown): boolean {
  return findUnsupported(value, '', new Set()) !== undefined;
}

function findUnsupported(
  value: unknown,
  path: string,
  seen: Set<object>,
): { path: string; value: unknown } | undefined {
  if (typeof value === 'function' || typeof value === 'symbol') return { path, value };
  if (typeof value !== 'object' || value === null || seen.has(value)) return undefined;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = findUnsupported(value[index], `${path}[${index}]`, seen);
      if (found) return found;
    }
    return undefined;
  }
  if (value instanceof Map) {
    let index = 0;
    for (const [key, entry] of value) {
      const found =
        findUnsupported(key, `${path}.<map key ${index}>`, seen) ??
        findUnsupported(entry, `${path}.get(${describeKey(key)})`, seen);
      if (found) return found;
      index++;
    }
    return undefined;
  }
  if (value instanceof Set) {
    let index = 0;
    for (const entry of value) {
      const found = findUnsupported(entry, `${path}.<set entry ${index++}>`, seen);
      if (found) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const found = findUnsupported((value as Record<string, unknown>)[key], `${path}${propertyPath(key)}`, seen);
    if (found) return found;
  }
  return undefined;
}

function propertyPath(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function describeKey(key: unknown): string {
  return typeof key === 'string' ? JSON.stringify(key) : String(key);
}
