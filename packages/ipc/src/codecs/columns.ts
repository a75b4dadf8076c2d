import { endianness } from 'node:os';
import { ByteReader } from './byte-reader.js';
import { StringSection, readStrings } from './column-strings.js';

/**
 * The columns frame: a batch of flat objects of one shape (the same keys in
 * the same order, every value a number, string, boolean or null) with the keys
 * written once and the values column by column: numbers as raw doubles (or
 * int32s), strings as one blob per column. Neither side formats or parses
 * numbers, and the decoder builds every object of a frame the same way, so
 * this is several times cheaper than JSON on both ends for the small records
 * producers stream (`{ seq, t, value }`). The auto codec picks it (see
 * `chooseCodec`) only for batches JSON would carry exactly, which it carries
 * exactly too: same keys, same order, same values.
 *
 * Layout, little-endian whatever the host (Redis queues cross machines):
 *   u32 rows | u32 header bytes | header: the keys as a JSON array (UTF-8)
 *   then per key, in order: u8 column type | its values
 *     F64   rows × f64            I32   rows × i32
 *     BOOL  rows × u8 (0, 1)      NULLS nothing
 *     STR   a string section of `rows` strings (see StringSection)
 *     MIXED rows × u8 tag (TAG_*), the tagged numbers as f64, a string section of the tagged strings
 */
const F64 = 1;
const I32 = 2;
const BOOL = 3;
const NULLS = 4;
const STR = 5;
const MIXED = 6;

const TAG_NULL = 0;
const TAG_FALSE = 1;
const TAG_TRUE = 2;
const TAG_NUMBER = 3;
const TAG_STRING = 4;

// What a column holds, one bit per kind of value, OR-ed over its rows.
const HAS_NULL = 1;
const HAS_BOOL = 2;
const HAS_INT = 4;
const HAS_DOUBLE = 8;
const HAS_STRING = 16;
const HAS_OTHER = 32;

type Row = Record<string, unknown>;

/**
 * On little-endian hosts (nearly all) a column of numbers goes through a typed
 * array and one copy, 3-4× faster than writing value by value; these are kept
 * between frames, up to SCRATCH_MAX values. Big-endian hosts go value by value.
 */
const LITTLE_ENDIAN = endianness() === 'LE';
const SCRATCH_MAX = 65_536;
let doubles = new Float64Array(256);
let ints = new Int32Array(256);

function doubleScratch(rows: number): Float64Array {
  if (rows > SCRATCH_MAX) return new Float64Array(rows);
  if (doubles.length < rows) doubles = new Float64Array(Math.min(SCRATCH_MAX, 2 * rows));
  return doubles;
}

function intScratch(rows: number): Int32Array {
  if (rows > SCRATCH_MAX) return new Int32Array(rows);
  if (ints.length < rows) ints = new Int32Array(Math.min(SCRATCH_MAX, 2 * rows));
  return ints;
}

/** The first `count` values of `array`, as bytes. */
function bytesOf(array: Float64Array | Int32Array, count: number): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, count * array.BYTES_PER_ELEMENT);
}

/** A column, once its values were classified: its type and its size; strings and mixed values gathered. */
interface PreparedColumn {
  key: string;
  type: number;
  /** Bytes of its values (after the type byte). */
  bytes: number;
  strings?: StringSection;
  /** MIXED only: a tag per row, and the numbers in row order. */
  tags?: number[];
  numbers?: number[];
}

/** The header of the last keys encoded: a stream of one shape formats it once. */
let lastHeader: { keys: readonly string[]; bytes: Buffer } = { keys: [], bytes: Buffer.from('[]') };

/**
 * Encodes `values` as a columns frame, or returns undefined when they are not
 * all flat objects with the first one's keys (then the caller picks another
 * codec). It checks every row and value as it writes them: the batch was
 * inspected when its values were sent, but a value changed since must not be
 * written wrong.
 */
export function encodeColumns(values: readonly unknown[]): Buffer | undefined {
  const rows = values.length;
  if (rows === 0) return undefined;
  const keys = keysOf(values[0]);
  if (!keys) return undefined;
  for (let index = 1; index < rows; index++) if (!hasKeys(values[index], keys)) return undefined;
  const header = headerFor(keys);
  const columns: PreparedColumn[] = [];
  let total = 8 + header.length;
  for (const key of keys) {
    const column = prepareColumn(values as readonly Row[], key);
    if (!column) return undefined;
    columns.push(column);
    total += 1 + column.bytes;
  }
  // The decoder refuses more rows than bytes (a tiny frame must not make it allocate millions of objects).
  if (total < rows) return undefined;
  const out = Buffer.allocUnsafe(total);
  out.writeUInt32LE(rows, 0);
  out.writeUInt32LE(header.length, 4);
  out.set(header, 8);
  let offset = 8 + header.length;
  for (const column of columns) {
    out[offset] = column.type;
    offset = writeColumn(values as readonly Row[], column, out, offset + 1);
  }
  return out;
}

/** Decodes a columns frame into its objects. @throws CodecError when the payload is malformed. */
export function decodeColumns(bytes: Buffer): Row[] {
  const reader = new ByteReader(bytes);
  const rows = reader.u32();
  if (rows > bytes.length) throw reader.invalid(`${rows} rows in ${bytes.length} bytes`);
  const keys = parseKeys(reader.text(reader.u32(), 'utf8'), reader);
  const out = new Array<Row>(rows);
  for (let index = 0; index < rows; index++) out[index] = {};
  // Column by column: each store below sees one key, so every object takes the same shape the same way.
  for (const key of keys) readColumn(reader, key, out);
  if (reader.remaining !== 0) throw reader.invalid('bytes after the last column');
  return out;
}

/** The keys of a flat-object candidate, or undefined when it cannot be a row. */
function keysOf(value: unknown): string[] | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys: string[] = [];
  // for...in, as the value walk and JSON.stringify see the keys (integer-like keys first).
  for (const key in value) {
    // A "__proto__" own key would become the prototype if assigned on the other side.
    if (key === '__proto__') return undefined;
    keys.push(key);
  }
  return keys;
}

function hasKeys(value: unknown, keys: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  let index = 0;
  for (const key in value) if (key !== keys[index++]) return false;
  return index === keys.length;
}

function headerFor(keys: readonly string[]): Buffer {
  const last = lastHeader;
  if (last.keys.length === keys.length && last.keys.every((key, index) => key === keys[index])) return last.bytes;
  lastHeader = { keys, bytes: Buffer.from(JSON.stringify(keys), 'utf8') };
  return lastHeader.bytes;
}

function prepareColumn(values: readonly Row[], key: string): PreparedColumn | undefined {
  const rows = values.length;
  let has = 0;
  for (let index = 0; index < rows; index++) has |= classify(values[index][key]);
  if (has & HAS_OTHER) return undefined;
  if (has === HAS_INT) return { key, type: I32, bytes: 4 * rows };
  if ((has & ~(HAS_INT | HAS_DOUBLE)) === 0) return { key, type: F64, bytes: 8 * rows };
  if (has === HAS_BOOL) return { key, type: BOOL, bytes: rows };
  if (has === HAS_NULL) return { key, type: NULLS, bytes: 0 };
  if (has === HAS_STRING) {
    const strings = new StringSection();
    for (let index = 0; index < rows; index++) strings.add(values[index][key] as string);
    return { key, type: STR, bytes: strings.byteLength(), strings };
  }
  return mixedColumn(values, key);
}

function classify(value: unknown): number {
  switch (typeof value) {
    case 'number':
      // -0 is not an int32 (it would come back 0); NaN and the infinities stay exact as doubles.
      return (value | 0) === value && (value !== 0 || 1 / value > 0) ? HAS_INT : HAS_DOUBLE;
    case 'string':
      return HAS_STRING;
    case 'boolean':
      return HAS_BOOL;
    case 'object':
      return value === null ? HAS_NULL : HAS_OTHER;
    default:
      return HAS_OTHER;
  }
}

/** A column of several kinds of values: a tag per row, then the numbers, then the strings. */
function mixedColumn(values: readonly Row[], key: string): PreparedColumn {
  const rows = values.length;
  const tags = new Array<number>(rows);
  const numbers: number[] = [];
  const strings = new StringSection();
  for (let index = 0; index < rows; index++) {
    const value = values[index][key];
    if (value === null) tags[index] = TAG_NULL;
    else if (typeof value === 'boolean') tags[index] = value ? TAG_TRUE : TAG_FALSE;
    else if (typeof value === 'number') {
      tags[index] = TAG_NUMBER;
      numbers.push(value);
    } else {
      tags[index] = TAG_STRING;
      strings.add(value as string);
    }
  }
  return { key, type: MIXED, bytes: rows + 8 * numbers.length + strings.byteLength(), strings, tags, numbers };
}

/** Writes a prepared column's values at `offset`; returns the offset after them. */
function writeColumn(values: readonly Row[], column: PreparedColumn, out: Buffer, offset: number): number {
  const rows = values.length;
  const key = column.key;
  switch (column.type) {
    case F64: {
      if (!LITTLE_ENDIAN) {
        for (let index = 0; index < rows; index++, offset += 8) out.writeDoubleLE(values[index][key] as number, offset);
        return offset;
      }
      const column = doubleScratch(rows);
      for (let index = 0; index < rows; index++) column[index] = values[index][key] as number;
      out.set(bytesOf(column, rows), offset);
      return offset + 8 * rows;
    }
    case I32: {
      if (!LITTLE_ENDIAN) {
        for (let index = 0; index < rows; index++, offset += 4) out.writeInt32LE(values[index][key] as number, offset);
        return offset;
      }
      const column = intScratch(rows);
      for (let index = 0; index < rows; index++) column[index] = values[index][key] as number;
      out.set(bytesOf(column, rows), offset);
      return offset + 4 * rows;
    }
    case BOOL:
      for (let index = 0; index < rows; index++) out[offset++] = values[index][key] ? 1 : 0;
      return offset;
    case MIXED: {
      const tags = column.tags!;
      for (let index = 0; index < rows; index++) out[offset++] = tags[index];
      for (const number of column.numbers!) {
        out.writeDoubleLE(number, offset);
        offset += 8;
      }
      return column.strings!.write(out, offset);
    }
    case STR:
      return column.strings!.write(out, offset);
    default:
      return offset; // NULLS: nothing but the type
  }
}

/** The last header decoded and its keys: a stream of one shape checks them once. */
let lastParsed: { header: string; keys: string[] } = { header: '[]', keys: [] };

function parseKeys(header: string, reader: ByteReader): string[] {
  if (header === lastParsed.header) return lastParsed.keys;
  const keys: unknown = JSON.parse(header);
  if (!Array.isArray(keys) || !keys.every((key): key is string => typeof key === 'string')) throw reader.invalid('a header that is not a list of keys');
  if (keys.includes('__proto__')) throw reader.invalid('a "__proto__" key');
  if (new Set(keys).size !== keys.length) throw reader.invalid('a key twice');
  lastParsed = { header, keys };
  return lastParsed.keys;
}

function readColumn(reader: ByteReader, key: string, out: Row[]): void {
  const rows = out.length;
  const bytes = reader.bytes;
  const type = reader.u8();
  switch (type) {
    case F64: {
      const at = reader.take(8 * rows);
      if (!LITTLE_ENDIAN) {
        for (let index = 0; index < rows; index++) out[index][key] = bytes.readDoubleLE(at + 8 * index);
        return;
      }
      const column = doubleScratch(rows);
      bytesOf(column, rows).set(bytes.subarray(at, at + 8 * rows));
      for (let index = 0; index < rows; index++) out[index][key] = column[index];
      return;
    }
    case I32: {
      const at = reader.take(4 * rows);
      if (!LITTLE_ENDIAN) {
        for (let index = 0; index < rows; index++) out[index][key] = bytes.readInt32LE(at + 4 * index);
        return;
      }
      const column = intScratch(rows);
      bytesOf(column, rows).set(bytes.subarray(at, at + 4 * rows));
      for (let index = 0; index < rows; index++) out[index][key] = column[index];
      return;
    }
    case BOOL: {
      const at = reader.take(rows);
      for (let index = 0; index < rows; index++) {
        const byte = bytes[at + index];
        if (byte > 1) throw reader.invalid(`a boolean byte ${byte}`);
        out[index][key] = byte === 1;
      }
      return;
    }
    case NULLS:
      for (let index = 0; index < rows; index++) out[index][key] = null;
      return;
    case STR: {
      const column = readStrings(reader, rows);
      for (let index = 0; index < rows; index++) out[index][key] = column[index];
      return;
    }
    case MIXED:
      return readMixed(reader, key, out);
    default:
      throw reader.invalid(`unknown column type ${type}`);
  }
}

function readMixed(reader: ByteReader, key: string, out: Row[]): void {
  const rows = out.length;
  const bytes = reader.bytes;
  const tags = reader.take(rows);
  let numberCount = 0;
  let stringCount = 0;
  for (let index = 0; index < rows; index++) {
    const tag = bytes[tags + index];
    if (tag === TAG_NUMBER) numberCount++;
    else if (tag === TAG_STRING) stringCount++;
    else if (tag > TAG_STRING) throw reader.invalid(`an unknown value tag ${tag}`);
  }
  let number = reader.take(8 * numberCount);
  const strings = readStrings(reader, stringCount);
  let nextString = 0;
  for (let index = 0; index < rows; index++) {
    const tag = bytes[tags + index];
    if (tag === TAG_NUMBER) {
      out[index][key] = bytes.readDoubleLE(number);
      number += 8;
    } else out[index][key] = tag === TAG_STRING ? strings[nextString++] : tag === TAG_NULL ? null : tag === TAG_TRUE;
  }
}
