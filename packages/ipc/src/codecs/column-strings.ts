import type { ByteReader } from './byte-reader.js';

/**
 * A column's strings, as the columnar frame carries them: every string of the
 * column concatenated into one blob, written with one call, plus each
 * string's length in UTF-16 code units. Lengths, not byte offsets, so that the
 * decoder cuts the decoded blob where the encoder joined it, whatever the
 * characters. A string equal to the one before it in the section is written
 * once (`REPEAT`): columns of tags and names repeat a few values.
 *
 * Section layout: u8 encoding | u32 blob bytes | n × u32 length | blob.
 * The blob is UTF-8 when it is well-formed; a lone surrogate (which UTF-8
 * cannot carry) makes the whole blob UTF-16LE, so every string comes back exact.
 */
export class StringSection {
  readonly #lengths: number[] = [];
  #blob = '';
  #previous: string | undefined;
  #utf8 = true;
  #blobBytes = 0;

  add(value: string): void {
    if (value === this.#previous) {
      this.#lengths.push(REPEAT);
      return;
    }
    this.#lengths.push(value.length);
    this.#blob += value;
    this.#previous = value;
  }

  /** Bytes the section takes; settles the blob's encoding (call once, before `write`). */
  byteLength(): number {
    const blob = this.#blob;
    this.#utf8 = (blob as WellFormedString).isWellFormed();
    this.#blobBytes = this.#utf8 ? Buffer.byteLength(blob, 'utf8') : blob.length * 2;
    return 5 + 4 * this.#lengths.length + this.#blobBytes;
  }

  /** Writes the section at `offset` of `out`; returns the offset after it. */
  write(out: Buffer, offset: number): number {
    out[offset] = this.#utf8 ? UTF8 : UTF16;
    out.writeUInt32LE(this.#blobBytes, offset + 1);
    offset += 5;
    const lengths = this.#lengths;
    for (let index = 0; index < lengths.length; index++, offset += 4) out.writeUInt32LE(lengths[index], offset);
    return offset + out.write(this.#blob, offset, this.#blobBytes, this.#utf8 ? 'utf8' : 'utf16le');
  }
}

/** Reads a section of `count` strings written by StringSection. */
export function readStrings(reader: ByteReader, count: number): string[] {
  const encoding = reader.u8();
  if (encoding !== UTF8 && encoding !== UTF16) throw reader.invalid(`unknown string encoding ${encoding}`);
  const blobBytes = reader.u32();
  const lengths = reader.take(4 * count);
  const bytes = reader.bytes;
  const blob = reader.text(blobBytes, encoding === UTF8 ? 'utf8' : 'utf16le');
  const strings = new Array<string>(count);
  let at = 0;
  let previous: string | undefined;
  for (let index = 0; index < count; index++) {
    const length = bytes.readUInt32LE(lengths + 4 * index);
    if (length === REPEAT) {
      if (previous === undefined) throw reader.invalid('a repeated string with none before it');
      strings[index] = previous;
      continue;
    }
    if (at + length > blob.length) throw reader.invalid('string lengths beyond their blob');
    previous = blob.slice(at, at + length);
    strings[index] = previous;
    at += length;
  }
  if (at !== blob.length) throw reader.invalid('string lengths short of their blob');
  return strings;
}

/** `length` meaning "the previous string of this section again". */
const REPEAT = 0xffffffff;
const UTF8 = 0;
const UTF16 = 1;

/** String.prototype.isWellFormed (ES2024, in Node ≥ 20), not in this project's ES2023 lib. */
type WellFormedString = string & { isWellFormed(): boolean };
