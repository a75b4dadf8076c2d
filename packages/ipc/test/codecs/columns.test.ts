// The columns frame: which batches the auto codec sends as columns, that they come back exact (key
// order included), what falls back to another codec, and that a malformed frame is refused.
import {
  CodecError,
  CodecId,
  chooseCodec,
  decodeBatch,
  encodeBatch,
  encodeValues,
  inspectValue,
  inspectValues,
  loadSuperjson,
  mergeInspection,
  PLAIN,
  type Inspection,
} from '../../src/index.js';

beforeAll(() => loadSuperjson());

function roundTrip(values: unknown[]): { values: unknown[]; codecId: number } {
  const encoded = encodeValues(values, 'auto', 'item');
  const bytes = typeof encoded.bytes === 'string' ? Buffer.from(encoded.bytes) : Buffer.from(encoded.bytes);
  return { values: decodeBatch(encoded.codecId, bytes), codecId: encoded.codecId };
}

/** Equal values, every number by Object.is (-0 too), and every object's keys in the same order. */
function expectExact(actual: unknown[], expected: unknown[]): void {
  expect(actual).toEqual(expected);
  actual.forEach((value, index) => {
    if (typeof value === 'object' && value !== null) expect(Object.keys(value)).toEqual(Object.keys(expected[index] as object));
  });
}

const rows = (count: number, make: (index: number) => Record<string, unknown>) => Array.from({ length: count }, (_, index) => make(index));

describe('the columns codec', () => {
  it('carries a batch of flat objects of one shape, as columns, from 4 values up', () => {
    const values = rows(100, (index) => ({ seq: index, t: 1_700_000_000_000_123 + index * 0.25, value: 3.14, tag: 'sensor-1', ok: index % 2 === 0, none: null }));
    const result = roundTrip(values);
    expect(result.codecId).toBe(CodecId.columns);
    expectExact(result.values, values);
    expect(roundTrip(values.slice(0, 3)).codecId).toBe(CodecId.json);
  });

  it('is smaller than JSON for small records', () => {
    const values = rows(1000, (index) => ({ seq: index, t: Number(process.hrtime.bigint()), value: 3.14, tag: 'sensor-1' }));
    const columns = encodeValues(values);
    expect(columns.codecId).toBe(CodecId.columns);
    expect((columns.bytes as Uint8Array).length).toBeLessThan(JSON.stringify(values).length / 2);
  });

  it('carries every column type exactly: ints, doubles, strings, booleans, nulls and mixes of them', () => {
    const values = rows(50, (index) => ({
      int: index - 25,
      big: 2 ** 31 + index, // beyond int32: doubles
      double: index / 7,
      extremes: [Number.MAX_VALUE, Number.MIN_VALUE, -(2 ** 31), 2 ** 53 - 1][index % 4],
      text: `row ${index} ${'é'.repeat(index % 3)}`,
      repeated: index < 25 ? 'a' : 'b',
      empty: '',
      flag: index % 3 === 0,
      none: null,
      mixed: [null, true, false, 1.5, 'x', -7, ''][index % 7],
    }));
    const result = roundTrip(values);
    expect(result.codecId).toBe(CodecId.columns);
    expectExact(result.values, values);
  });

  it('keeps unicode exact: emoji, every plane, and lone surrogates (which UTF-8 cannot carry)', () => {
    const texts = ['日本語', '😀 party', 'a\u2028b', '\u0000nul', '\ud800', 'x\udfff', '\udbff\udfff', 'z'.repeat(100_000)];
    const values = rows(texts.length, (index) => ({ index, text: texts[index], also: index % 2 ? texts[index] : null }));
    const result = roundTrip(values);
    expect(result.codecId).toBe(CodecId.columns);
    expectExact(result.values, values);
    // A surrogate pair split between two consecutive strings comes back split the same way.
    const split = rows(4, (index) => ({ text: index % 2 ? '\ude00b' : 'a\ud83d' }));
    expectExact(roundTrip(split).values, split);
  });

  it('sends rows of nothing but nulls (or no keys) as JSON once they outnumber the bytes columns would take', () => {
    for (const make of [() => ({ a: null, b: null }), () => ({})]) {
      const few = rows(5, make);
      expect(roundTrip(few).codecId).toBe(CodecId.columns);
      expectExact(roundTrip(few).values, few);
      const many = rows(1000, make); // the decoder refuses more rows than bytes: a tiny frame must not make it build millions of objects
      expect(roundTrip(many).codecId).toBe(CodecId.json);
      expectExact(roundTrip(many).values, many);
    }
  });

  it('keeps key order, integer-like keys included', () => {
    const values = rows(5, (index) => ({ b: index, 2: 'two', a: 'x', 1: true }));
    const result = roundTrip(values);
    expect(result.codecId).toBe(CodecId.columns);
    expectExact(result.values, values);
    expect(Object.keys(result.values[0] as object)).toEqual(['1', '2', 'b', 'a']);
  });

  it.each([
    ['-0', () => ({ x: -0 }), CodecId.v8],
    ['NaN', () => ({ x: NaN }), CodecId.v8],
    ['Infinity', () => ({ x: Infinity }), CodecId.v8],
    ['an undefined value', () => ({ x: undefined }), CodecId.v8],
    ['a Date', () => ({ x: new Date(0) }), CodecId.v8],
    ['a nested object', () => ({ x: { y: 1 } }), CodecId.json],
    ['an array value', () => ({ x: [1, 2] }), CodecId.json],
    ['an extra key', () => ({ x: 1, extra: 2 }), CodecId.json],
    ['keys in another order', () => ({ y: 'b', x: 1 }), CodecId.json],
    ['a missing key', () => ({ x: 1 }), CodecId.json],
    ['a "__proto__" own key', () => JSON.parse('{"x": 1, "y": "b", "__proto__": 5}') as object, CodecId.json],
    ['a sparse array', () => [1, , 3], CodecId.v8], // eslint-disable-line no-sparse-arrays
    ['a bare number', () => 7, CodecId.json],
  ])('falls back when one value of the batch has %s', (_name, odd, codecId) => {
    const values: unknown[] = rows(9, (index) => ({ x: index, y: 'b' }));
    values[4] = odd();
    const result = roundTrip(values);
    expect(result.codecId).toBe(codecId);
    expectExact(result.values, values);
  });

  it('carries "__proto__" keys as own properties, never as prototypes', () => {
    const values = rows(6, () => JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as Record<string, unknown>);
    const result = roundTrip(values);
    expect(result.codecId).not.toBe(CodecId.columns);
    expectExact(result.values, values);
    expect(Object.getPrototypeOf(result.values[0])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a function or a symbol in a row, naming its path', () => {
    const values: unknown[] = rows(8, (index) => ({ x: index }));
    values[5] = { x: 5, callback: () => 1 };
    expect(() => encodeValues(values, 'auto', 'item')).toThrow(CodecError);
    expect(() => encodeValues(values, 'auto', 'item')).toThrow(/a function at item\[5\]\.callback/);
    values[5] = { x: Symbol('s') };
    expect(() => inspectValues(values, 'item')).toThrow(/a symbol at item\[5\]\.x/);
  });

  it('notes the shape as values are inspected one by one and merged, as producers and outboxes do', () => {
    const batch: Inspection = { kind: PLAIN, stringChars: 0, units: 0 };
    for (let index = 0; index < 5; index++) mergeInspection(batch, inspectValue({ seq: index, tag: 't' }));
    expect(batch.shape).toEqual(['seq', 'tag']);
    expect(chooseCodec('auto', batch, 5)).toBe(CodecId.columns);
    mergeInspection(batch, inspectValue({ seq: 5, tag: 't', more: 1 }));
    expect(batch.shape).toBeNull();
    expect(chooseCodec('auto', batch, 6)).toBe(CodecId.json);
    // Explicit codecs are honoured: columns are auto's choice only.
    expect(chooseCodec('json', { kind: PLAIN, stringChars: 0, units: 0, shape: ['seq'] }, 5)).toBe(CodecId.json);
  });

  it('falls back to a codec that carries the values when they changed since they were inspected', () => {
    const values: Array<Record<string, unknown>> = rows(6, (index) => ({ x: index }));
    const codecId = chooseCodec('auto', inspectValues(values), values.length);
    expect(codecId).toBe(CodecId.columns);
    values[2].x = undefined; // changed after the inspection: JSON would drop it, columns cannot carry it
    values[3].added = new Date(5);
    const encoded = encodeBatch(values, codecId);
    expect(encoded.codecId).toBe(CodecId.v8);
    expect(decodeBatch(encoded.codecId, Buffer.from(encoded.bytes))).toEqual(values);
  });
});

describe('a malformed columns frame', () => {
  const valid = () => Buffer.from(encodeValues(rows(4, (index) => ({ n: index, s: 'ab', f: true, m: index % 2 ? 'x' : 1.5 }))).bytes as Uint8Array);
  /** Replaces the keys header of a frame (rows, header length, header, rest). */
  const withHeader = (frame: Buffer, header: string) => {
    const length = frame.readUInt32LE(4);
    const text = Buffer.from(header);
    const head = Buffer.alloc(8);
    head.writeUInt32LE(frame.readUInt32LE(0), 0);
    head.writeUInt32LE(text.length, 4);
    return Buffer.concat([head, text, frame.subarray(8 + length)]);
  };

  it.each([
    ['truncated', (frame: Buffer) => frame.subarray(0, frame.length - 3)],
    ['with bytes after the last column', (frame: Buffer) => Buffer.concat([frame, Buffer.from([0])])],
    ['claiming more rows than it has bytes', (frame: Buffer) => Buffer.from(frame).fill(0xff, 0, 4)],
    ['with a "__proto__" key', (frame: Buffer) => withHeader(frame, '["n","__proto__","f","m"]')],
    ['with a key twice', (frame: Buffer) => withHeader(frame, '["n","n","f","m"]')],
    ['with a header that is not a list of keys', (frame: Buffer) => withHeader(frame, '{"n":1}')],
    ['with an unknown column type', (frame: Buffer) => {
      const copy = Buffer.from(frame);
      copy[8 + copy.readUInt32LE(4)] = 99;
      return copy;
    }],
  ])('is refused with ERR_CODEC_DECODE when %s', (_name, corrupt) => {
    let thrown: unknown;
    try {
      decodeBatch(CodecId.columns, corrupt(valid()));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CodecError);
    expect((thrown as CodecError).code).toBe('ERR_CODEC_DECODE');
  });

  it('either decodes or is refused with a CodecError, whatever byte is changed', () => {
    const frame = valid();
    for (let at = 0; at < frame.length; at++) {
      for (const byte of [0, 1, 2, 5, 6, 0x7f, 0xff]) {
        const copy = Buffer.from(frame);
        copy[at] = byte;
        try {
          expect(Array.isArray(decodeBatch(CodecId.columns, copy))).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(CodecError);
        }
      }
    }
  });
});
