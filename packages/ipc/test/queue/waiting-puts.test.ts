import { WaitingPuts, type BatchSink, type Inspection } from '../../src/index.js';

/** A sink with credits set by the test: records what went out and how often it was asked. */
class FakeSink implements BatchSink {
  credits = 0;
  refusing = false;
  sent: unknown[] = [];
  calls = 0;
  refusedValues = 0;
  onWritable: (() => void) | undefined;

  sendMany(values: readonly unknown[], from: number, _inspection: Inspection): number | 'refused' {
    this.calls++;
    if (this.refusing) {
      this.refusedValues += values.length - from;
      return 'refused';
    }
    const count = Math.min(this.credits, values.length - from);
    for (let index = from; index < from + count; index++) this.sent.push(values[index]);
    this.credits -= count;
    return count;
  }

  grant(credits: number): void {
    this.credits += credits;
    this.onWritable?.();
  }
}

/** Resolved promises, in the order they resolved. */
function track(promises: Array<Promise<boolean>>): { settled: Array<[number, boolean]> } {
  const record = { settled: [] as Array<[number, boolean]> };
  promises.forEach((promise, index) => void promise.then((accepted) => record.settled.push([index, accepted])));
  return record;
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('WaitingPuts', () => {
  it('sends at once what credit allows, and keeps call order across calls while the rest waits', async () => {
    const sink = new FakeSink();
    const puts = new WaitingPuts(sink);
    sink.credits = 3;
    const calls = [puts.put([1, 2]), puts.put([3, 4, 5]), puts.put([6]), puts.put([7]), puts.put([8, 9])];
    const record = track(calls);
    await turn();
    expect(sink.sent).toEqual([1, 2, 3]);
    expect(record.settled).toEqual([[0, true]]);
    sink.grant(1); // one credit: [6] would fit, but [3, 4, 5] is ahead of it
    await turn();
    expect(sink.sent).toEqual([1, 2, 3, 4]);
    expect(record.settled).toEqual([[0, true]]);
    sink.grant(100);
    await turn();
    expect(sink.sent).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(record.settled).toEqual([[0, true], [1, true], [2, true], [3, true], [4, true]]);
    expect(puts.length).toBe(0);
  });

  it('serves single puts that wait as one group: a credit grant costs one send, and resolves exactly the puts it covers, in order', async () => {
    const sink = new FakeSink();
    const puts = new WaitingPuts(sink);
    const calls = Array.from({ length: 5000 }, (_, index) => puts.put([index]));
    const record = track(calls);
    expect(puts.length).toBe(5); // groups of at most 1024, not 5000 entries
    sink.calls = 0;
    sink.grant(700);
    await turn();
    expect(sink.calls).toBe(1);
    expect(record.settled.map(([index]) => index)).toEqual(Array.from({ length: 700 }, (_, index) => index));
    sink.grant(4300);
    await turn();
    expect(sink.sent).toEqual(Array.from({ length: 5000 }, (_, index) => index));
    expect(record.settled.map(([index]) => index)).toEqual(Array.from({ length: 5000 }, (_, index) => index));
    expect(record.settled.every(([, accepted]) => accepted)).toBe(true);
  });

  it('resolves every waiting put false when the sink refuses, and sends none of what was left', async () => {
    const sink = new FakeSink();
    const puts = new WaitingPuts(sink);
    sink.credits = 1;
    const record = track([puts.put(['a', 'b']), puts.put(['c']), puts.put(['d'])]);
    sink.refusing = true;
    sink.onWritable?.();
    await turn();
    expect(sink.sent).toEqual(['a']);
    expect(record.settled).toEqual([[0, false], [1, false], [2, false]]);
    expect(sink.refusedValues).toBe(3); // b, c, d: counted by the sink, once each
    expect(await puts.put(['e'])).toBe(false);
  });

  it('rejects a call holding a value that cannot cross, and puts none of its values', async () => {
    const sink = new FakeSink();
    const puts = new WaitingPuts(sink);
    sink.credits = 10;
    await expect(puts.put([1, { callback: () => {} }, 3])).rejects.toThrow(/item\[1\]\.callback/);
    expect(sink.sent).toEqual([]);
    expect(sink.calls).toBe(0);
  });
});
