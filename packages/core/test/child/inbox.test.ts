import { MessageInbox } from '../../src/child/inbox.js';

describe('the message inbox of a child', () => {
  it('hands messages to receive() and tryReceive() in order', async () => {
    const inbox = new MessageInbox();
    expect(inbox.tryReceive()).toBeUndefined();
    const waiting = inbox.receive();
    inbox.deliver(['a', 'b', 'c']);
    await expect(waiting).resolves.toBe('a');
    expect(inbox.tryReceive()).toBe('b');
    await expect(inbox.receive()).resolves.toBe('c');
  });

  it('ends iteration and rejects waiting receives once the worker stops', async () => {
    const inbox = new MessageInbox();
    inbox.deliver([1]);
    const waiting = inbox.receive().then(() => inbox.receive());
    inbox.close();
    await expect(waiting).rejects.toThrow(/stopping/);
    inbox.deliver([2]);
    const seen: unknown[] = [];
    for await (const message of inbox) seen.push(message);
    expect(seen).toEqual([2]);
  });
});
