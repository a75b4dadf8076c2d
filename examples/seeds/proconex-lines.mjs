// proconex's line reader: a producer reads this very file line by line; three
// competing consumers (a pool) print the lines that contain "self" (progress on
// stderr: a bar in a terminal, lines otherwise).
// Run: node examples/seeds/proconex-lines.mjs
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Consumer, ConsumerPool, END, Producer, isMainProcess, pipeline } from '@prodcon/core';
import { showProgress } from '../lib/progress.mjs';

export class LineProducer extends Producer {
  static moduleUrl = import.meta.url;

  static onStart(ctx) {
    return { lines: readFileSync(ctx.args.path, 'utf8').split('\n'), next: 0 };
  }

  static total(ctx) {
    return ctx.startResult.lines.length; // known once the file is read: for progress
  }

  static work(ctx) {
    const { lines } = ctx.startResult;
    if (ctx.startResult.next >= lines.length) return END; // the end of the stream flows down the pipeline
    const lineNumber = ctx.startResult.next++ + 1;
    return { lineNumber, line: lines[lineNumber - 1] };
  }
}

export class LineConsumer extends Consumer {
  static moduleUrl = import.meta.url;

  static work(items) {
    const matches = items.filter(({ line }) => line.includes('self'));
    for (const { lineNumber, line } of matches) console.log(`line ${lineNumber}: ${line}`);
    return matches.length > 0 ? matches : undefined;
  }
}

if (isMainProcess()) {
  const producer = new LineProducer({ args: { path: fileURLToPath(import.meta.url) } });
  const consumers = new ConsumerPool(LineConsumer, { size: 3, maxBufferSize: 1 });
  const lines = pipeline(producer, consumers);
  lines.on('progress', showProgress('lines'));
  try {
    await lines.start();
    await lines.done; // ends by itself when the file ends
  } finally {
    await lines.stop(); // like proconex's `with Worker(...)`: clean up whatever happened (`await using` in TypeScript)
  }
}
