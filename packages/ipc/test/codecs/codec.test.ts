import { types } from 'node:util';
import {
  CodecError,
  CodecId,
  chooseCodec,
  decodeBatch,
  encodeValues,
  inspectValues,
  loadSuperjson,
  registerClass,
  type CodecName,
} from '../../src/index.js';

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
  norm(): number {
    return Math.hypot(this.x, this.y);
  }
}
registerClass(Point, 'test.Point');

const rich = {
  when: new Date(1_700_000_000_000),
  map: new Map<string, number>([['a', 1]]),
  set: new Set([1, 2]),
  big: 12345678901234567890n,
  missing: undefined,
  nan: NaN,
  nested: [{ deep: new Date(0) }],
};

function roundTrip(values: unknown[], codec: CodecName = 'auto'): { values: unknown[]; codecId: number } {
  const encoded = encodeValues(values, codec);
  return { values: decodeBatch(encoded.codecId, Buffer.from(encoded.bytes)), codecId: encoded.codecId };
}

beforeAll(async () => {
  await loadSuperjson();
});

describe('the auto codec', () => {
  it('sends plain data as JSON', () => {
    const result = roundTrip([{ seq: 1, t: 2.5, tag: 'sensor-1', ok: true, none: null }]);
    expect(result.codecId).toBe(CodecId.json);
    expect(result.values).toEqual([{ seq: 1, t: 2.5, tag: 'sensor-1', ok: true, none: null }]);
  });

  it('round-trips Date, Map, Set, BigInt, undefined and NaN exactly (with v8)', () => {
    const result = roundTrip([rich]);
    expect(result.codecId).toBe(CodecId.v8);
    const back = result.values[0] as typeof rich;
    // v8 builds values in the main realm, jest runs tests in a vm realm: compare by type tag, not instanceof.
    expect(types.isDate(back.when)).toBe(true);
    expect(back.when.getTime()).toBe(rich.when.getTime());
    expect(types.isMap(back.map) && [...back.map]).toEqual([['a', 1]]);
    expect(types.isSet(back.set) && [...back.set]).toEqual([1, 2]);
    expect(back.big).toBe(rich.big);
    expect('missing' in back).toBe(true);
    expect(back.nan).toBeNaN();
    expect(types.isDate(back.nested[0]!.deep)).toBe(true);
  });

  it('revives registered classes (with superjson)', () => {
    const result = roundTrip([{ point: new Point(3, 4), when: new Date(5) }]);
    expect(result.codecId).toBe(CodecId.superjson);
    const back = result.values[0] as { point: Point; when: Date };
    expect(back.point).toBeInstanceOf(Point);
    expect(back.point.norm()).toBe(5);
    expect(back.when).toEqual(new Date(5));
  });

  it('sends large strings with v8, which copies instead of escaping', () => {
    expect(roundTrip([{ blob: 'x'.repeat(64 * 1024) }]).codecId).toBe(CodecId.v8);
  });
});

describe('every codec', () => {
  it.each(['auto', 'json', 'v8', 'superjson'] as const)('%s refuses a function, naming where it is', (codec) => {
    expect(() => encodeValues([{ ok: 1, nested: { callback: () => 1 } }], codec, 'result')).toThrow(
      /a function at result\[0\]\.nested\.callback/,
    );
  });

  it.each(['auto', 'json', 'v8', 'superjson'] as const)('%s refuses a symbol', (codec) => {
    let thrown: unknown;
    try {
      encodeValues([{ tag: Symbol('s') }], codec, 'message');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CodecError);
    expect((thrown as CodecError).code).toBe('ERR_CODEC_UNSUPPORTED_VALUE');
    expect((thrown as CodecError).message).toMatch(/a symbol at message\[0\]\.tag/);
  });

  it('finds functions inside maps and sets too', () => {
    expect(() => inspectValues([new Map([['k', { f: () => 0 }]])], 'item')).toThrow(/item\[0\]\.get\("k"\)\.f/);
  });
});

describe('decodeBatch', () => {
  it('rejects garbage with a CodecError', () => {
    expect(() => decodeBatch(CodecId.json, Buffer.from('{nope'))).toThrow(CodecError);
    expect(() => decodeBatch(99, Buffer.from('[]'))).toThrow(/Unknown codec id 99/);
    expect(() => decodeBatch(CodecId.json, Buffer.from('{"a":1}'))).toThrow(/array/);
  });
});

describe('chooseCodec', () => {
  it('honours an explicit codec whatever the values', () => {
    const inspection = inspectValues([rich]);
    expect(chooseCodec('json', inspection, 1)).toBe(CodecId.json);
    expect(chooseCodec('superjson', inspection, 1)).toBe(CodecId.superjson);
    expect(chooseCodec('v8', inspectValues([{ a: 1 }]), 1)).toBe(CodecId.v8);
  });
});
