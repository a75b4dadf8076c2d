import { PassThrough, Writable } from 'node:stream';
import { prefixLines } from '../../src/parent/output.js';

function capture() {
  const chunks: string[] = [];
  const target = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { target, text: () => chunks.join('') };
}

describe('prefixLines', () => {
  it('prefixes each complete line as it arrives and holds back only an unfinished one', () => {
    const source = new PassThrough();
    const { target, text } = capture();
    prefixLines(source, target, 'w');
    source.emit('data', 'one\ntw'); // drive 'data' directly: what arrives is what the child wrote
    expect(text()).toBe('[w] one\n');
    source.emit('data', 'o\nthree\n');
    expect(text()).toBe('[w] one\n[w] two\n[w] three\n');
    source.emit('data', 'tail');
    source.emit('end');
    expect(text()).toBe('[w] one\n[w] two\n[w] three\n[w] tail\n');
  });

  it('does not hold an endless line without bound', () => {
    const source = new PassThrough();
    const { target, text } = capture();
    prefixLines(source, target, 'w');
    source.emit('data', 'x'.repeat(70 * 1024));
    expect(text().length).toBeGreaterThan(70 * 1024);
  });
});
