// The benchmark's items, as in ../shared/reference/ipc-limits.md: "small" is
// {seq, t, value: 3.14, tag: "sensor-1"} (~62 B of JSON); "1k" and "64k" add a
// string so that the JSON is about 1 KiB / 64 KiB.
const PADS = { small: '', '1k': 'x'.repeat(960), '64k': 'x'.repeat(64 * 1024 - 64) };

export const SIZES = Object.keys(PADS);

export function makeItem(size, seq) {
  const pad = PADS[size];
  const t = Number(process.hrtime.bigint());
  return pad ? { seq, t, value: 3.14, tag: 'sensor-1', pad } : { seq, t, value: 3.14, tag: 'sensor-1' };
}
