import { decode, encode } from '@weft/codec';
import { connectionToHandle, Pipe } from '@weft/pipe';
import { Queue } from '@weft/queue';
import { describe, expect, it } from 'vitest';
import { runWorker } from './run-worker.js';

describe('messages of any size', () => {
  it('sends 0 B to 8 MB values and bytes through a worker and back, without waiting for a reader', async () => {
    const [parent, child] = Pipe();
    const run = runWorker('echo.mjs', { conn: connectionToHandle(child) });
    child.close();
    const sizes = [0, 1, 1000, 64 * 1024, 65 * 1024, 1_000_000, 8 * 1024 * 1024];
    // All sent before anything is read: send never waits for the reader.
    for (const size of sizes) {
      const bytes = new Uint8Array(size);
      if (size > 0) bytes[size - 1] = size & 255;
      parent.send({ size, bytes });
      parent.send('X'.repeat(size));
    }
    for (const size of sizes) {
      const { size: got, bytes } = (await parent.recv()) as { size: number; bytes: Uint8Array };
      expect(got).toBe(size);
      expect(bytes.length).toBe(size);
      if (size > 0) expect(bytes[size - 1]).toBe(size & 255);
      const text = (await parent.recv()) as string;
      expect(text.length === size && (size === 0 || text[size - 1] === 'X')).toBe(true);
    }
    parent.close();
    await run.done;
  });
});

describe('a connection is a handle', () => {
  it('passes through the codec and through a queue as a copy of the same end', async () => {
    const [a, b] = Pipe();
    const copy = decode(encode(b)) as typeof b;
    a.send('to b');
    expect(await copy.recv()).toBe('to b');
    const queue = new Queue<typeof a>();
    queue.putSync(a);
    const another = queue.getSync();
    another.send('via queue');
    expect(b.recvSync()).toBe('via queue');
    // Two copies of a: closing one leaves the end open; closing both gives b EOF.
    a.close();
    expect(b.pollSync()).toBe(false);
    another.close();
    expect(b.pollSync()).toBe(true);
    await expect(b.recv()).rejects.toThrow('the other end of the pipe is closed');
  });
});
