import { RingBuffer } from '../../src/index.js';

describe('RingBuffer', () => {
  it('is FIFO across growth and wrap-around', () => {
    const ring = new RingBuffer<number>(2);
    const expected: number[] = [];
    let next = 0;
    for (let round = 0; round < 50; round++) {
      for (let index = 0; index < 7; index++) {
        ring.push(next);
        expected.push(next++);
      }
      for (let index = 0; index < 5; index++) expect(ring.shift()).toBe(expected.shift());
    }
    expect([...ring]).toEqual(expected);
    expect(ring.length).toBe(expected.length);
  });

  it('takes many at once, oldest first, and clears', () => {
    const ring = new RingBuffer<string>();
    for (const letter of 'abcdef') ring.push(letter);
    expect(ring.shiftMany(4)).toEqual(['a', 'b', 'c', 'd']);
    expect(ring.shiftMany(10)).toEqual(['e', 'f']);
    ring.push('g');
    expect(ring.clear()).toBe(1);
    expect(ring.shift()).toBeUndefined();
  });
});
