import { statSync } from 'node:fs';
import { hostQueue } from '../helpers.js';

describe('sockets', () => {
  it('live in a directory only this user can enter, and are readable by this user only', async () => {
    const queue = await hostQueue({ capacity: 1 });
    expect(statSync(queue.directory).mode & 0o777).toBe(0o700);
    const socket = statSync(queue.address);
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
    await queue.close();
    expect(() => statSync(queue.address)).toThrow(/ENOENT/);
  });
});
