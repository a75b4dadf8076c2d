import { Acknowledgements } from '../../src/queue/acknowledgements.js';

describe('Acknowledgements', () => {
  it('tells each writer how many of its items were consumed, oldest first', () => {
    const acks = new Acknowledgements<string>();
    acks.queued('a', 2);
    acks.queued(undefined, 1); // a local item: nobody to tell
    acks.queued('b', 2);
    acks.queued('a', 1);
    expect(acks.unacknowledged).toBe(0);
    acks.taken(4);
    expect(acks.unacknowledged).toBe(4);
    expect([...acks.acknowledge(3)]).toEqual([['a', 2]]);
    expect(acks.unacknowledged).toBe(1);
    acks.taken(2);
    expect([...acks.acknowledge(10)]).toEqual([
      ['b', 2],
      ['a', 1],
    ]);
    expect(acks.unacknowledged).toBe(0);
  });

  it('acknowledges nothing that was not taken', () => {
    const acks = new Acknowledgements<string>();
    acks.queued('a', 3);
    expect(acks.acknowledge(3).size).toBe(0);
    acks.taken(1);
    expect([...acks.acknowledge(3)]).toEqual([['a', 1]]);
  });
});

describe('acknowledgements of dropped items', () => {
  it('settle the items dropped from the queue, not those still being worked', () => {
    const acks = new Acknowledgements<string>();
    acks.queued('a', 2);
    acks.taken(2); // a's two items are being worked
    acks.queued('b', 3);
    expect([...acks.dropQueued(3)]).toEqual([['b', 3]]);
    expect(acks.unacknowledged).toBe(2);
    expect([...acks.acknowledge(2)]).toEqual([['a', 2]]);
  });
});
