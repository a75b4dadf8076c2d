/** Merges async iterables, yielding values as they come; ends when all ended; throws the first error. */
export async function* mergeResults<T>(iterables: AsyncIterable<T>[]): AsyncGenerator<T> {
  const iterators = iterables.map((iterable) => iterable[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<T> }>>();
  const pull = (index: number) => {
    pending.set(
      index,
      iterators[index].next().then((result) => ({ index, result })),
    );
  };
  iterators.forEach((_, index) => pull(index));
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
        continue;
      }
      pull(index);
      yield result.value;
    }
  } finally {
    for (const [index] of pending) await iterators[index].return?.();
  }
}
