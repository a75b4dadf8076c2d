import { CodecId, inspectValues } from '@prodcon/ipc';
import { compareIds, encodeEntries, itemsPerEntry, parseRead } from '../src/entries.js';
import { admitArgs, appendArgs, parseWriterReply } from '../src/writer-call.js';

describe('stream entries', () => {
  it('holds at most a quarter of the capacity, 256 items, and about 256 KiB', () => {
    expect(itemsPerEntry(3, 0)).toBe(1);
    expect(itemsPerEntry(100, 0)).toBe(25);
    expect(itemsPerEntry(10_000, 0)).toBe(256);
    expect(itemsPerEntry(10_000, 64 * 1024)).toBe(4);
    expect(itemsPerEntry(10_000, 1024 * 1024)).toBe(1);
  });

  it('encodes values into numbered entries that read back as the same values', () => {
    const values = [1, 'two', { three: 3 }, [4], null];
    const entries = encodeEntries(values, { codec: 'auto', inspection: inspectValues(values, 'item'), perEntry: 2, firstSeq: 11, label: 'item' });
    expect(entries.map((entry) => [entry.first, entry.n, entry.codec])).toEqual([
      [11, 2, CodecId.json],
      [13, 2, CodecId.json],
      [15, 1, CodecId.json],
    ]);
    // As XREADGROUP answers (buffers), with the fields the admit script writes.
    const reply = [
      [
        Buffer.from('stream'),
        entries.map((entry, index) => [
          Buffer.from(`5-${index}`),
          ['n', String(entry.n), 'c', String(entry.codec), 'p', entry.payload, 'w', 'writer-1', 'q', String(entry.first + entry.n - 1)].map((field) =>
            Buffer.from(field),
          ),
        ]),
      ],
    ];
    const read = parseRead(reply);
    expect(read.map((entry) => [entry.id, entry.n, entry.writer, entry.seq])).toEqual([
      ['5-0', 2, 'writer-1', 12],
      ['5-1', 2, 'writer-1', 14],
      ['5-2', 1, 'writer-1', 15],
    ]);
    expect(read.flatMap((entry) => JSON.parse(entry.payload.toString()) as unknown[])).toEqual(values);
    expect(parseRead(null)).toEqual([]);
  });

  it('picks v8 for values JSON cannot carry exactly', () => {
    const values = [new Date(0)];
    const [entry] = encodeEntries(values, { codec: 'auto', inspection: inspectValues(values, 'item'), perEntry: 10, firstSeq: 1, label: 'item' });
    expect(entry.codec).toBe(CodecId.v8);
    expect(Buffer.isBuffer(entry.payload)).toBe(true);
  });

  it('orders stream ids by time, then sequence', () => {
    expect(compareIds('10-5', '9-7')).toBeGreaterThan(0);
    expect(compareIds('10-5', '10-12')).toBeLessThan(0);
    expect(compareIds('0-0', '0-0')).toBe(0);
  });
});

describe('writer calls', () => {
  const head = { writer: 'w', leaseMs: 5000, drops: { overflow: 2, refused: 0, cleared: 0, stopped: 0, lost: 1 } };
  const entries = [
    { first: 1, n: 2, codec: 1, payload: '[1,2]' },
    { first: 3, n: 1, codec: 1, payload: '[3]' },
  ];

  it('lays out admit arguments as (first, n, codec, payload) per entry', () => {
    expect(admitArgs(head, entries)).toEqual(['w', 5000, '2,0,0,0,1', 2, 1, 2, 1, '[1,2]', 3, 1, 1, '[3]']);
  });

  it('lays out append arguments as the first number, the codec, the byte lengths, then the payloads end to end', () => {
    expect(appendArgs(head, entries)).toEqual(['w', 5000, '2,0,0,0,1', 2, 1, 1, '5,3', Buffer.from('[1,2][3]')]);
  });

  it('reads a script answer', () => {
    expect(parseWriterReply(['ready', 2, 98, 'e1', [4, 3, 0, 0, 0], 1, ''])).toEqual({
      status: 'ready',
      admitted: 2,
      room: 98,
      epoch: 'e1',
      drops: { overflow: 4, refused: 3, cleared: 0, stopped: 0, lost: 0 },
      closing: true,
      resetSeq: '',
    });
  });
});

