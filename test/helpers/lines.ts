/** Reads a subprocess's stdout line by line; resolves waits when a line matches. */
export function lines(stream: NodeJS.ReadableStream) {
  const seen: string[] = [];
  let buffered = '';
  const waiters: Array<{ pattern: RegExp; nth: number; resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  let ended = false;
  stream.on('end', () => {
    ended = true;
    for (const waiter of waiters.splice(0)) waiter.reject(new Error(`output ended before a line matched ${waiter.pattern}: ${seen.join(' | ')}`));
  });
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    for (const line of parts) {
      seen.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.pattern.test(line) && seen.filter((earlier) => waiter.pattern.test(earlier)).length >= waiter.nth) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });
  return {
    seen,
    /** Resolves with the nth line (1-based) that matches `pattern`. */
    waitFor(pattern: RegExp, nth = 1): Promise<string> {
      const found = seen.filter((line) => pattern.test(line))[nth - 1];
      if (found) return Promise.resolve(found);
      if (ended) return Promise.reject(new Error(`output ended before a line matched ${pattern}`));
      return new Promise((resolve, reject) => waiters.push({ pattern, nth, resolve, reject }));
    },
  };
}
