// Property-based tests of the codecs: whatever the value, encoding terminates within a bound, and
// either the value comes back exactly or it is refused with a CodecError. fast-check prints the seed
// of a failure; PRODCON_PROPERTY_SEED=<seed> replays it.
import fc from 'fast-check';
import v8 from 'node:v8';
import { CodecError, CodecId, decodeBatch, encodeValues, inspectValues, loadSuperjson } from '../../src/index.js';

/**
 * Structural equality, cycles, shared references and types included, across realms: jest runs this
 * file in a vm context, and v8.deserialize builds its values in the main one (a Date from there is
 * not an instance of this context's Date). Two values are the same when v8 writes the same bytes for
 * both, once each went through v8 once (a deserialized array is written as sparse, a literal one as dense).
 */
function same(a: unknown, b: unknown): boolean {
  const written = (value: unknown) => v8.serialize(v8.deserialize(v8.serialize(value)));
  return Buffer.compare(written(a), written(b)) === 0;
}

const seed = process.env.PRODCON_PROPERTY_SEED ? Number(process.env.PRODCON_PROPERTY_SEED) : undefined;
const BOUND_MS = 250;

/** Encodes with the auto codec and decodes; fails if either takes longer than the bound. */
function roundTrip(values: unknown[]): unknown[] {
  const started = performance.now();
  const encoded = encodeValues(values, 'auto', 'item');
  const bytes = typeof encoded.bytes === 'string' ? Buffer.from(encoded.bytes) : Buffer.from(encoded.bytes);
  const decoded = decodeBatch(encoded.codecId, bytes);
  const took = performance.now() - started;
  if (took > BOUND_MS) throw new Error(`encoding and decoding took ${took.toFixed(0)} ms`);
  return decoded;
}

/** Any value the codecs carry: JSON data, and what v8 adds (Date, Map, Set, BigInt, undefined, typed arrays, holes...). */
const carried = fc.anything({
  maxDepth: 4,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withSparseArray: true,
  withNullPrototype: true,
  withBoxedValues: false,
  withObjectString: true,
});

/** An object graph with cycles and references shared by several paths. */
const graphs = fc
  .tuple(fc.array(fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }), { minLength: 1, maxLength: 6 }), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.string({ minLength: 1, maxLength: 3 })), { maxLength: 12 }))
  .map(([nodes, edges]) => {
    const objects = nodes.map((node) => ({ ...node }) as Record<string, unknown>);
    for (const [from, to, key] of edges) objects[from % objects.length]![`ref_${key}`] = objects[to % objects.length];
    return objects[0]!;
  });

describe('the auto codec, on any value', () => {
  beforeAll(() => loadSuperjson());

  it('carries JSON data exactly, as JSON', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 8 }), (values) => {
        const encoded = encodeValues(values, 'auto');
        // JSON, unless a value holds -0 (which JSON would turn into 0) or long strings (v8 is faster then).
        if (encoded.codecId === CodecId.superjson) return false;
        expect(same(roundTrip(values), values)).toBe(true);
        return true;
      }),
      { seed },
    );
  });

  it("carries what v8 carries exactly: Date, Map, Set, BigInt, undefined, typed arrays, holes, -0, NaN", () => {
    fc.assert(
      fc.property(fc.array(carried, { maxLength: 5 }), (values) => {
        expect(same(roundTrip(values), values)).toBe(true);
      }),
      { seed, numRuns: 300 },
    );
  });

  it('carries every number exactly: -0, NaN and the infinities too', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double(), fc.constantFrom(-0, Number.NaN, Infinity, -Infinity)), { minLength: 1, maxLength: 6 }), (values) => {
        expect(same(roundTrip(values), values)).toBe(true);
      }),
      { seed },
    );
  });

  it('carries cycles and shared references exactly (identity kept), in bounded time', () => {
    fc.assert(
      fc.property(graphs, (graph) => {
        const [decoded] = roundTrip([graph]) as [Record<string, unknown>];
        expect(same(decoded, graph)).toBe(true);
        // A reference shared by two paths arrives as one object, not two copies.
        for (const [key, value] of Object.entries(graph)) {
          if (value === graph) expect(decoded[key]).toBe(decoded);
        }
      }),
      { seed, numRuns: 300 },
    );
  });

  it('terminates on graphs whose walk would otherwise explode (each object reachable by 2^60 paths)', () => {
    let node: Record<string, unknown> = { leaf: 1 };
    for (let level = 0; level < 60; level++) node = { left: node, right: node };
    const self: Record<string, unknown> = {};
    self.self = self;
    self.again = self;
    const started = performance.now();
    expect(inspectValues([node, self]).kind).toBe(1); // STRUCTURED: v8 keeps the sharing
    const [decoded, decodedSelf] = roundTrip([node, self]) as [Record<string, unknown>, Record<string, unknown>];
    expect(decoded.left).toBe(decoded.right);
    expect(decodedSelf.again).toBe(decodedSelf);
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
  });

  it('refuses a function or a symbol anywhere, naming its path', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 4 }), fc.boolean(), (base, path, symbol) => {
        const root: Record<string, unknown> = { base };
        let node = root;
        for (const key of path.slice(0, -1)) node = (node[key] = {}) as Record<string, unknown>;
        node[path.at(-1)!] = symbol ? Symbol('s') : () => 1;
        let thrown: unknown;
        try {
          encodeValues([root], 'auto', 'item');
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(CodecError);
        expect((thrown as CodecError).message).toContain(`at item[0].${path.join('.')}`);
      }),
      { seed },
    );
  });
});

/** Values of a flat row's column, by kind: what columns carry, all of one kind or mixed (-0, NaN, the infinities included: they must make the batch fall back). */
const columnKinds = [
  fc.integer(),
  fc.oneof(fc.double(), fc.constantFrom(2 ** 31, -(2 ** 31), 2 ** 53, Number.MIN_VALUE)),
  fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 }), fc.constantFrom('', 'sensor-1', 'x'.repeat(5000))), // lone surrogates included
  fc.boolean(),
  fc.constant(null),
];
const cellOfKind = [...columnKinds, fc.oneof(...columnKinds)];
/** What must never be sent as columns, put in one row. */
const odd = fc.oneof(fc.constant(undefined), fc.constant(-0), fc.constant(Number.NaN), fc.date(), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }), fc.array(fc.integer(), { maxLength: 2 }));
const keys = fc.uniqueArray(fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('__proto__', '0', '1', '10', 'constructor', 'toString', 'ключ')), { minLength: 1, maxLength: 6 });

/**
 * The same keys in the same order, own properties on a plain object, and the same values: primitives
 * by Object.is (-0, NaN), objects by same(). Not same() on the whole row: v8 writes a string sliced
 * out of a two-byte blob differently from an equal one-byte string.
 */
function expectSameRow(actual: Record<string, unknown>, expected: Record<string, unknown>): void {
  expect(Object.getPrototypeOf(Object.getPrototypeOf(actual))).toBeNull(); // a root prototype, of this realm or v8's
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  for (const key of Object.keys(expected)) {
    const [a, b] = [actual[key], expected[key]];
    if (typeof b === 'object' && b !== null) expect(same(a, b)).toBe(true);
    else expect(Object.is(a, b)).toBe(true);
  }
}

/** Sets own properties in order ("__proto__" too, as an own key, as JSON.parse does). */
function rowOf(entries: Array<[string, unknown]>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(row, key, { value, enumerable: true, writable: true, configurable: true });
  return row;
}

/** A batch of rows of one shape, and how it was bent: none, an extra key, a missing key, keys swapped, an odd value. */
const batches = fc
  .tuple(keys, fc.integer({ min: 1, max: 40 }), fc.constantFrom('none', 'none', 'extra', 'missing', 'swapped', 'odd'), fc.nat(), odd)
  .chain(([names, count, bend, at, oddValue]) =>
    fc
      .tuple(...names.map(() => fc.nat({ max: cellOfKind.length - 1 })))
      .chain((kinds) => fc.array(fc.tuple(...kinds.map((kind) => cellOfKind[kind])), { minLength: count, maxLength: count }))
      .map((table) => {
        const values = table.map((cells) => names.map((name, index): [string, unknown] => [name, cells[index]]));
        const row = values[at % values.length];
        if (bend === 'extra') row.push(['extra key', 1]);
        if (bend === 'missing') row.pop();
        if (bend === 'swapped' && row.length > 1) row.reverse();
        if (bend === 'odd') row[at % row.length][1] = oddValue;
        return { rows: values.map(rowOf), bend };
      }),
  );

describe('the auto codec, on batches of flat rows (the columns frame)', () => {
  it('carries them exactly, key order included, as columns whenever JSON would carry them exactly', () => {
    fc.assert(
      fc.property(batches, ({ rows }) => {
        const encoded = encodeValues(rows, 'auto', 'item');
        const decoded = roundTrip(rows) as Array<Record<string, unknown>>;
        expect(decoded).toHaveLength(rows.length);
        decoded.forEach((row, index) => expectSameRow(row, rows[index]));
        const jsonExact = rows.every((row) =>
          Object.entries(row).every(([key, value]) => key !== '__proto__' && (typeof value !== 'number' || (Number.isFinite(value) && !Object.is(value, -0))) && (value === null || typeof value !== 'object') && value !== undefined),
        );
        const oneShape = rows.every((row) => JSON.stringify(Object.keys(row)) === JSON.stringify(Object.keys(rows[0])));
        // Rows of nothing but nulls (or no keys) cost no bytes as columns: past a frame's byte count they go as JSON (see encodeColumns).
        const onlyNulls = Object.keys(rows[0]).every((key) => rows.every((row) => row[key] === null));
        if (jsonExact && oneShape && rows.length >= 4 && !onlyNulls) expect(encoded.codecId).toBe(CodecId.columns);
        if (!jsonExact || !oneShape) expect(encoded.codecId).not.toBe(CodecId.columns);
      }),
      { seed, numRuns: 500 },
    );
  });

  it('refuses a function or a symbol in any row, naming its path', () => {
    fc.assert(
      fc.property(batches, fc.nat(), fc.boolean(), ({ rows }, at, symbol) => {
        const index = at % rows.length;
        rows[index] = { ...rows[index], bad: symbol ? Symbol('s') : () => 1 };
        expect(() => encodeValues(rows, 'auto', 'item')).toThrow(CodecError);
        expect(() => encodeValues(rows, 'auto', 'item')).toThrow(`at item[${index}].bad`);
      }),
      { seed, numRuns: 200 },
    );
  });
});
