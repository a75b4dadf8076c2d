import type { Readable, Writable } from 'node:stream';

/** A line longer than this is written out in pieces rather than held back. */
const MAX_HELD_BYTES = 64 * 1024;

/**
 * Copies a child's output to `target`, each line prefixed with `[name] `, as
 * it arrives. Only an unfinished last line is held back (and at most 64 KiB
 * of it), so nothing accumulates over a long run.
 */
export function prefixLines(source: Readable, target: Writable, name: string): void {
  const prefix = `[${name}] `;
  let held = '';
  source.setEncoding('utf8');
  source.on('data', (chunk: string) => {
    const text = held + chunk;
    const lastNewline = text.lastIndexOf('\n');
    if (lastNewline === -1) {
      held = text;
    } else {
      const complete = text.slice(0, lastNewline);
      held = text.slice(lastNewline + 1);
      target.write(prefix + complete.split('\n').join(`\n${prefix}`) + '\n');
    }
    if (held.length > MAX_HELD_BYTES) {
      target.write(prefix + held + '\n');
      held = '';
    }
  });
  source.on('end', () => {
    if (held.length > 0) target.write(prefix + held + '\n');
    held = '';
  });
}
