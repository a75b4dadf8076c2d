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
