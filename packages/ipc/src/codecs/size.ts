import { SizeError } from '../errors.js';
import { FRAME_HEADER_BYTES, maxFrameBytes } from '../wire/framing.js';
import { chooseCodec, codecNeedsLoading, encodeBatch, payloadBytes, type CodecName } from './codec.js';
import { inspectValues, type Inspection } from './inspect.js';

/** A frame's bytes around its payload: the length, the type byte, the codec byte. */
const FRAME_OVERHEAD = FRAME_HEADER_BYTES + 1;

/**
 * The most a value's encoding can take, from its inspection: 3 bytes per
 * string character (UTF-8), and room for every number, key and element. It
 * only decides whether to measure exactly: most values are far below the limit.
 */
function sizeBound(inspection: Inspection): number {
  return 3 * inspection.stringChars + 32 * inspection.units + 64;
}

/**
 * Refuses a value that cannot fit in one frame, where it is sent: values
 * whose size bound comes near the limit are encoded to be measured.
 * @param label names the value ("item", "result", "message", "args").
 * @throws SizeError (`ERR_VALUE_TOO_LARGE`) naming the value, its size and the limit.
 */
export function checkSize(value: unknown, inspection: Inspection, codec: CodecName, label: string): void {
  const limit = maxFrameBytes();
  if (sizeBound(inspection) + FRAME_OVERHEAD <= limit) return;
  const codecId = chooseCodec(codec, inspectValues([value], label), 1);
  // Without superjson loaded yet, a class instance cannot be measured here; the sender splits or refuses it when it writes.
  if (codecNeedsLoading(codecId)) return;
  const bytes = payloadBytes(encodeBatch([value], codecId, label).bytes) + FRAME_OVERHEAD;
  if (bytes > limit) throw tooLarge(label, bytes, limit);
}

/** The error for a value of `bytes` over the frame `limit`. */
export function tooLarge(label: string, bytes: number, limit: number): SizeError {
  return new SizeError(
    'ERR_VALUE_TOO_LARGE',
    `Cannot send ${label} of ${formatBytes(bytes)}: over the frame limit of ${formatBytes(limit)} ` +
      '(send it in parts, or raise the limit with configure({ maxFrameBytes }))',
  );
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
