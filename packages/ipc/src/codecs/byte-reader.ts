import { CodecError } from '../errors.js';

/**
 * Reads a binary payload from a peer that is verified, not trusted: every
 * read is bounds-checked and fails with a CodecError (`ERR_CODEC_DECODE`),
 * never by reading past the payload. Callers read runs of fixed-size values
 * by reserving them (`take`) and reading `bytes` at the offset it returns.
 */
export class ByteReader {
  readonly bytes: Buffer;
  #offset = 0;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }

  /** Bytes not read yet. */
  get remaining(): number {
    return this.bytes.length - this.#offset;
  }

  /** Reserves the next `byteLength` bytes and returns where they start. */
  take(byteLength: number): number {
    const offset = this.#offset;
    if (!(byteLength >= 0) || offset + byteLength > this.bytes.length) throw this.invalid('truncated');
    this.#offset = offset + byteLength;
    return offset;
  }

  u8(): number {
    return this.bytes[this.take(1)];
  }

  u32(): number {
    return this.bytes.readUInt32LE(this.take(4));
  }

  text(byteLength: number, encoding: 'utf8' | 'utf16le'): string {
    if (encoding === 'utf16le' && byteLength % 2 !== 0) throw this.invalid('an odd UTF-16 length');
    const start = this.take(byteLength);
    return this.bytes.toString(encoding, start, start + byteLength);
  }

  /** The error for a malformed payload. */
  invalid(what: string): CodecError {
    return new CodecError('ERR_CODEC_DECODE', `Cannot decode a columns frame: ${what}`);
  }
}
