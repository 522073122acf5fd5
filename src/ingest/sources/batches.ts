/**
 * Record-at-a-time iteration over batches. An async generator that `yield*`s each batch costs a
 * promise round trip per record per generator layer, which measured as the largest cost of Graph
 * NDJSON reading; this iterator resolves records of the current batch immediately.
 */
export function flattenBatches<T>(batches: () => AsyncIterator<T[]>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      const source = batches();
      let batch: T[] = [];
      let index = 0;
      return {
        async next(): Promise<IteratorResult<T>> {
          while (index >= batch.length) {
            const step = await source.next();
            if (step.done === true) return { value: undefined, done: true };
            batch = step.value;
            index = 0;
          }
          return { value: batch[index++]!, done: false };
        },
        async return(): Promise<IteratorResult<T>> {
          await source.return?.();
          return { value: undefined, done: true };
        },
      };
    },
  };
}
