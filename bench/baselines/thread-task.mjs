// The task tinypool and workerpool run: an array of items (or one item) in, their seqs out.
export default function task(items) {
  return Array.isArray(items) ? items.map((item) => item.seq) : [items.seq];
}
