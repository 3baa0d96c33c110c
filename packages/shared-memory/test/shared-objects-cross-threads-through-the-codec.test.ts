import { bufferSnapshot, encode } from '@weft/codec';
import { RawValue, SharedArray, SharedMemory, Value } from '@weft/shared-memory';
import { describe, expect, it } from 'vitest';
import { runWorker } from './run-worker.js';

describe('shared objects as codec handles', () => {
  it('Value, RawValue, SharedArray, str Value and SharedMemory reach a worker as the same memory', async () => {
    const counter = new Value('i', 0);
    const raw = new RawValue('q', 0n);
    const arr = new SharedArray('i', [1, 2, 3]);
    const text = new Value('str', 'Hello World', { maxBytes: 32 });
    const block = new SharedMemory({ size: 4 });
    const bytes = encode({ counter, raw, arr, text, block });
    const run = () =>
      runWorker<Record<string, unknown>>('decode-shared', { bytes, snapshot: bufferSnapshot() });
    const [first] = await Promise.all([run(), run()]);
    // Both workers added 1,000 under the Value's own lock, shared across threads.
    expect(counter.value).toBe(2000);
    expect(first).toEqual({
      counterClass: 'SynchronizedValue',
      rawHasLock: false,
      arrClass: 'SynchronizedSharedArray',
      blockName: block.name,
    });
    expect(raw.value).toBe(7n);
    expect(arr.toArray()).toEqual([99, 2, 3]);
    expect(text.value).toBe('changed in a worker');
    expect(block.buf[0]).toBe(200);
    block.unlink();
  });
});
