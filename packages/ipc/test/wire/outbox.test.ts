import { CodecId, chooseCodec } from '../../src/codecs/codec.js';
import { inspectBatch, shareOf } from '../../src/wire/outbox.js';

const records = Array.from({ length: 8 }, (_, seq) => ({ seq, t: seq * 1.5, tag: 'sensor-1' }));

describe('inspectBatch', () => {
  it("notes a batch of flat records' shape, so that puts of many items at once (pools) go as columns", () => {
    const inspection = inspectBatch(records, 'auto', 'item');
    expect(inspection.shape).toEqual(['seq', 't', 'tag']);
    expect(chooseCodec('auto', inspection, records.length)).toBe(CodecId.columns);
    // A member's share of the batch keeps the shape.
    expect(chooseCodec('auto', shareOf(inspection, 4, 8), 4)).toBe(CodecId.columns);
  });

  it('gives up the shape when one record differs', () => {
    const inspection = inspectBatch([...records, { seq: 9, t: 1, other: true }], 'auto', 'item');
    expect(inspection.shape).toBeNull();
    expect(chooseCodec('auto', inspection, records.length + 1)).not.toBe(CodecId.columns);
  });

  it('names the value that cannot be sent by its index in the batch', () => {
    const batch = [...records, { seq: 8, t: 12, tag: 'sensor-1', callback: () => 1 }];
    expect(() => inspectBatch(batch, 'auto', 'item')).toThrow('item[8].callback');
  });
});
