import { FRAME_HEADER_BYTES, maxFrameBytes } from '../wire/framing.js';
import { chooseCodec, codecNeedsLoading, encodeBatch, payloadBytes, type CodecName, type EncodedBatch } from './codec.js';
import { tooLarge } from './size.js';
import { inspectValues } from './inspect.js';
import { loadSuperjson } from './superjson-loader.js';

/**
 * Encodes a single value as a batch of one, for the one-off frames that no
 * Outbox batches (a worker's init arguments, its final result): inspects the
 * value, chooses its codec as `codec` allows, loads superjson first if that
 * codec needs it, then encodes. Decode with `decodeBatch` (or
 * `decodeFrameBody`), which returns `[value]`.
 * @param label names the value in error messages ("args", "onStop result").
 * @throws CodecError (as a rejection) when the value cannot cross a process
 *   boundary: a function or a symbol anywhere in it; SizeError when it does not fit in a frame.
 */
export async function encodeOne(value: unknown, codec: CodecName, label = 'value'): Promise<EncodedBatch> {
  const values = [value];
  const codecId = chooseCodec(codec, inspectValues(values, label), 1);
  if (codecNeedsLoading(codecId)) await loadSuperjson();
  return fitting(encodeBatch(values, codecId, label), label);
}

/**
 * `encodeOne` for a caller that cannot wait (a frame that must go out before
 * the next one): undefined when the value needs superjson and it has not
 * loaded yet.
 * @throws CodecError when the value cannot cross a process boundary.
 */
export function encodeOneNow(value: unknown, codec: CodecName, label = 'value'): EncodedBatch | undefined {
  const values = [value];
  const codecId = chooseCodec(codec, inspectValues(values, label), 1);
  if (codecNeedsLoading(codecId)) return undefined;
  return fitting(encodeBatch(values, codecId, label), label);
}

/** The encoded value, if its frame fits under the limit. @throws SizeError otherwise. */
function fitting(encoded: EncodedBatch, label: string): EncodedBatch {
  const bytes = payloadBytes(encoded.bytes) + FRAME_HEADER_BYTES + 1;
  if (bytes > maxFrameBytes()) throw tooLarge(label, bytes, maxFrameBytes());
  return encoded;
}
