import { createRequire } from 'node:module';
import type * as V8 from 'node:v8';
import { CodecError } from '../errors.js';
import {
  CLASSY,
  STRUCTURED,
  hasUnsupportedValue,
  inspectValues,
  unsupportedValueError,
  type Inspection,
} from './inspect.js';
import { loadSuperjson, superjsonIfLoaded } from './superjson-loader.js';
import { decodeColumns, encodeColumns } from './columns.js';

// node:v8 on first use: importing it costs every child ~2 ms of start-up (Node 20), and most never use the v8 codec.
const requireBuiltin = createRequire(import.meta.url);
let v8Module: typeof V8 | undefined;
const v8 = (): typeof V8 => (v8Module ??= requireBuiltin('node:v8') as typeof V8);

/** Codec identifiers as they appear on the wire, one byte ahead of each data frame's payload. */
export const CodecId = {
  json: 1,
  v8: 2,
  superjson: 3,
  /** Chosen by `auto` only: flat objects of one shape, keys once, values in columns (see columns.ts). */
  columns: 4,
} as const;
/** A codec's identifier byte on the wire (a value of CodecId). */
export type WireCodecId = (typeof CodecId)[keyof typeof CodecId];

/**
 * - `auto` (default): per frame, the cheapest exact codec: columns for batches
 *   of flat objects of one shape (same keys in the same order, values that are
 *   numbers, strings, booleans or null, as JSON carries them), JSON for other plain data,
 *   v8 for Date/Map/Set/BigInt/undefined/NaN/typed arrays and large strings,
 *   superjson for class instances and errors.
 * - `json`: plain JSON semantics (Dates become strings, undefined fields vanish);
 *   functions and symbols are still refused.
 * - `v8`: structured clone; class instances arrive as plain objects.
 * - `superjson`: revives registered classes; slowest.
 */
export type CodecName = 'auto' | 'json' | 'v8' | 'superjson';
/** Every CodecName, for validating options. */
export const CODEC_NAMES: readonly CodecName[] = ['auto', 'json', 'v8', 'superjson'];

/**
 * Above this many string characters per value on average, v8 beats JSON: it
 * copies strings where JSON scans them. Measured on this project's machine
 * (256-item batches, round trip): JSON 2.28 vs v8 2.53 µs/item at 128 chars,
 * 2.66 vs 2.56 at 256, 4.53 vs 2.93 at 512.
 */
const LARGE_VALUE_CHARS = 256;

/**
 * From this many values up, a batch of one shape goes as columns: its keys and
 * column types then cost less than JSON's per-object keys and number
 * formatting. Measured ({seq, t, value, tag}, µs per item, encode / decode):
 * 1 row JSON 2.0 / 4.5, columns 1.2 / 0.8 (noisy, about even); 4 rows JSON
 * 0.84 / 0.84, columns 0.48 / 0.32; 3000 rows JSON 0.85 / 0.65, columns 0.21 / 0.15.
 * Frames of one or two values (a low rate, the latency path) stay JSON.
 */
const MIN_COLUMN_ROWS = 4;

/** A batch encoded as one payload, with the codec that reads it back (see decodeBatch). */
export interface EncodedBatch {
  codecId: WireCodecId;
  /** The payload; JSON codecs leave it a string, which the socket encodes as UTF-8 without an extra copy. */
  bytes: Uint8Array | string;
}

/** Bytes of a payload on the wire. */
export function payloadBytes(payload: Uint8Array | string): number {
  return typeof payload === 'string' ? Buffer.byteLength(payload, 'utf8') : payload.byteLength;
}

/** Chooses the wire codec for a batch from its inspection. */
export function chooseCodec(name: CodecName, inspection: Inspection, count: number): WireCodecId {
  switch (name) {
    case 'json':
      return CodecId.json;
    case 'v8':
      return CodecId.v8;
    case 'superjson':
      return CodecId.superjson;
    case 'auto':
      if (inspection.kind === CLASSY) return CodecId.superjson;
      if (inspection.kind === STRUCTURED) return CodecId.v8;
      if (inspection.shape && count >= MIN_COLUMN_ROWS) return CodecId.columns;
      return inspection.stringChars > LARGE_VALUE_CHARS * Math.max(1, count) ? CodecId.v8 : CodecId.json;
  }
}

/**
 * Encodes a batch of values that were already inspected (see `inspectValue`).
 * One codec call per batch: the batch is encoded as one array. The codec of
 * the result is `codecId`, except for columns: values that turn out not to
 * fit them (one changed since it was inspected) go in the codec a fresh
 * inspection picks.
 */
export function encodeBatch(values: readonly unknown[], codecId: WireCodecId, label = 'value'): EncodedBatch {
  switch (codecId) {
    case CodecId.json:
      try {
        return { codecId, bytes: JSON.stringify(values) };
      } catch (error) {
        throw encodeFailure(values, label, 'json', error);
      }
    case CodecId.v8:
      try {
        return { codecId, bytes: v8().serialize(values) };
      } catch (error) {
        throw encodeFailure(values, label, 'v8', error);
      }
    case CodecId.superjson: {
      const superjson = requireSuperjson();
      try {
        return { codecId, bytes: JSON.stringify(superjson.serialize(values)) };
      } catch (error) {
        throw encodeFailure(values, label, 'superjson', error);
      }
    }
    case CodecId.columns: {
      const bytes = encodeColumns(values);
      if (bytes) return { codecId, bytes };
      const inspection = inspectValues(values, label);
      inspection.shape = null;
      return encodeBatch(values, chooseCodec('auto', inspection, values.length), label);
    }
  }
}

/** Inspects and encodes in one call, for callers that hold a whole batch (tests, the benchmark). */
export function encodeValues(values: readonly unknown[], codec: CodecName = 'auto', label = 'value'): EncodedBatch {
  const inspection = inspectValues(values, label);
  return encodeBatch(values, chooseCodec(codec, inspection, values.length), label);
}

/** Decodes one data frame payload back into its array of values. */
export function decodeBatch(codecId: number, bytes: Buffer): unknown[] {
  let decoded: unknown;
  try {
    switch (codecId) {
      case CodecId.json:
        decoded = JSON.parse(bytes.toString('utf8'));
        break;
      case CodecId.v8:
        decoded = v8().deserialize(bytes);
        break;
      case CodecId.columns:
        decoded = decodeColumns(bytes);
        break;
      case CodecId.superjson: {
        const superjson = requireSuperjson();
        decoded = superjson.deserialize(JSON.parse(bytes.toString('utf8')) as Parameters<typeof superjson.deserialize>[0]);
        break;
      }
      default:
        throw new CodecError('ERR_CODEC_UNKNOWN', `Unknown codec id ${codecId} in a data frame`);
    }
  } catch (error) {
    if (error instanceof CodecError) throw error;
    throw new CodecError('ERR_CODEC_DECODE', `Cannot decode a ${codecName(codecId)} frame: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!Array.isArray(decoded)) {
    throw new CodecError('ERR_CODEC_DECODE', `A ${codecName(codecId)} frame did not hold an array of values`);
  }
  return decoded;
}

/**
 * Decodes a data frame body (`[codec id][payload]`) and hands the values to
 * `handle`. When the frame needs superjson and it is not loaded yet, returns a
 * promise: a FramedConnection then holds later frames back, keeping order.
 */
export function decodeFrameBody(body: Buffer, handle: (values: unknown[]) => void): void | Promise<void> {
  const codecId = body[0];
  const payload = body.subarray(1);
  if (codecId === CodecId.superjson && !superjsonIfLoaded()) {
    return loadSuperjson().then(() => handle(decodeBatch(codecId, payload)));
  }
  handle(decodeBatch(codecId, payload));
}

/** True when encoding with `codecId` must first wait for superjson to load. */
export function codecNeedsLoading(codecId: WireCodecId): boolean {
  return codecId === CodecId.superjson && !superjsonIfLoaded();
}

/** A codec's name for messages ("json"), or `#id` for an unknown id. */
export function codecName(codecId: number): string {
  return (Object.keys(CodecId) as Array<keyof typeof CodecId>).find((name) => CodecId[name] === codecId) ?? `#${codecId}`;
}

function requireSuperjson() {
  const superjson = superjsonIfLoaded();
  if (!superjson) {
    // The runtimes load superjson before any user value can reach a codec; this is a bug guard.
    throw new CodecError('ERR_CODEC_NOT_LOADED', 'superjson is needed but was not loaded: await loadSuperjson() first');
  }
  return superjson;
}

function encodeFailure(values: readonly unknown[], label: string, codec: string, error: unknown): CodecError {
  if (hasUnsupportedValue(values)) return unsupportedValueError(values, label);
  return new CodecError('ERR_CODEC_ENCODE', `Cannot encode ${label} with ${codec}: ${(error as Error).message}`, {
    cause: error,
  });
}

