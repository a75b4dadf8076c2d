import { EntryRecords } from '../src/records.js';

describe('EntryRecords', () => {
  it('frees a plain consumer\'s room item by item as it takes, and finishes an entry with its last item', () => {
    const records = new EntryRecords(false);
    records.read('1-0', 3);
    records.read('2-0', 2);
    expect(records.taken(2)).toEqual([{ id: '1-0', n: 2, whole: false }]);
    expect(records.taken(2)).toEqual([
      { id: '1-0', n: 1, whole: true },
      { id: '2-0', n: 1, whole: false },
    ]);
    expect(records.taken(1)).toEqual([{ id: '2-0', n: 1, whole: true }]);
    expect(records.size).toBe(0);
  });

  it('finishes a pool member\'s entry only when every item of it was acknowledged', () => {
    const records = new EntryRecords(true);
    records.read('1-0', 2);
    records.read('2-0', 2);
    expect(records.taken(3)).toEqual([]);
    expect(records.acknowledged(1)).toEqual([]);
    expect(records.acknowledged(1)).toEqual([{ id: '1-0', n: 2, whole: true }]);
    expect(records.acknowledged(1)).toEqual([]); // the third item: its entry still has one untaken
    records.taken(1);
    expect(records.acknowledged(1)).toEqual([{ id: '2-0', n: 2, whole: true }]);
  });

  it('treats cleared items as done with: a pool member acknowledges them at once', () => {
    const records = new EntryRecords(true);
    records.read('1-0', 3);
    records.taken(1); // one item in work
    expect(records.cleared(2)).toEqual([]); // the entry waits for the item in work
    expect(records.acknowledged(1)).toEqual([{ id: '1-0', n: 3, whole: true }]);
  });

  it('frees cleared items of a plain consumer like taken ones', () => {
    const records = new EntryRecords(false);
    records.read('1-0', 2);
    expect(records.cleared(2)).toEqual([{ id: '1-0', n: 2, whole: true }]);
  });

  it('forgets everything after a reset', () => {
    const records = new EntryRecords(true);
    records.read('1-0', 2);
    records.forget();
    expect(records.size).toBe(0);
    expect(records.taken(2)).toEqual([]);
  });
});
