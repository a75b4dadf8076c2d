import { Retention } from '../../src/queue/retention.js';

describe('Retention', () => {
  it('keeps values until acknowledged, oldest first, and says when none is left', async () => {
    const retention = new Retention(undefined);
    for (const value of ['a', 'b', 'c']) retention.keep(value);
    const noneKept = retention.whenNoneKept();
    retention.acknowledged(2);
    expect(retention.size).toBe(1);
    retention.acknowledged(1);
    expect(retention.size).toBe(0);
    await noneKept;
  });

  it('hands what is still kept to onLost when the host goes away', async () => {
    const lost: unknown[][] = [];
    const retention = new Retention((values) => lost.push(values));
    for (const value of [1, 2, 3]) retention.keep(value);
    retention.acknowledged(1);
    const noneKept = retention.whenNoneKept();
    expect(retention.handOver()).toBe(0);
    expect(lost).toEqual([[2, 3]]);
    expect(retention.size).toBe(0);
    await noneKept;
  });

  it('counts what it cannot hand over as lost', () => {
    const retention = new Retention(undefined);
    retention.keep('x');
    retention.keep('y');
    expect(retention.handOver()).toBe(2);
    expect(retention.size).toBe(0);
  });
});
