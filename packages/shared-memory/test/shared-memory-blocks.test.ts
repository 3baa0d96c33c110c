import {
  ClosedError,
  FileExistsError,
  FileNotFoundError,
  SharedMemory,
  ValueError,
} from '@weft/shared-memory';
import { describe, expect, it } from 'vitest';
import { runWorker } from './run-worker.js';

describe('SharedMemory', () => {
  it('creates a zeroed block with a fresh name, attachable by name in the same thread', () => {
    const block = new SharedMemory({ size: 16 });
    expect(block.name).toMatch(/^wnsm_[0-9a-f]{8}$/);
    expect(block.size).toBe(16);
    expect(block.buf).toBeInstanceOf(Uint8Array);
    expect([...block.buf]).toEqual(Array(16).fill(0));
    block.buf.set([1, 2, 3]);
    const again = SharedMemory.attach(block.name);
    expect([...again.buf.subarray(0, 3)]).toEqual([1, 2, 3]);
    block.unlink();
  });

  it('a taken name is FileExistsError; a bad size is ValueError', () => {
    const block = new SharedMemory({ size: 4, name: 'weft-test-taken' });
    expect(() => new SharedMemory({ size: 4, name: 'weft-test-taken' })).toThrow(FileExistsError);
    expect(() => new SharedMemory({ size: 0 })).toThrow(ValueError);
    expect(() => new SharedMemory({ size: 1.5 })).toThrow(ValueError);
    block.unlink();
    new SharedMemory({ size: 4, name: 'weft-test-taken' }).unlink();
  });

  it('attach of an unknown or unlinked name is FileNotFoundError (after a short ask)', () => {
    expect(() => SharedMemory.attach('weft-test-never', { timeout: 50 })).toThrow(FileNotFoundError);
    const block = new SharedMemory({ size: 4, name: 'weft-test-unlinked' });
    block.unlink();
    expect(() => SharedMemory.attach('weft-test-unlinked', { timeout: 50 })).toThrow(FileNotFoundError);
    // The creator's own attachment survives unlink.
    block.buf[0] = 9;
    expect(block.buf[0]).toBe(9);
  });

  it('close() ends this attachment only', () => {
    const block = new SharedMemory({ size: 4 });
    const other = SharedMemory.attach(block.name);
    block.close();
    expect(block.closed).toBe(true);
    expect(() => block.buf).toThrow(ClosedError);
    other.buf[0] = 1;
    expect(other.buf[0]).toBe(1);
    block.unlink();
  });

  it('a worker attaches by name a block made before it started, and one made after', async () => {
    const early = new SharedMemory({ size: 8, name: 'weft-test-early' });
    early.buf[0] = 42;
    const result = await runWorker<{ early: number; late: string }>('attach-by-name', {
      early: 'weft-test-early',
    });
    expect(result.early).toBe(42);
    // The worker wrote into the early block and created a late one that we attach here.
    expect(early.buf[1]).toBe(43);
    expect(result.late).toBe('weft-test-late');
    const late = SharedMemory.attach('weft-test-late');
    expect([...late.buf]).toEqual([7, 7, 7, 7]);
    early.unlink();
    late.unlink();
  });

  it('sibling workers find each other’s blocks by name', async () => {
    const sync = new SharedArrayBuffer(8);
    const [maker, finder] = await Promise.all([
      runWorker<string>('sibling-maker', { sync }),
      runWorker<number>('sibling-finder', { sync }),
    ]);
    expect(maker).toBe('made');
    expect(finder).toBe(99);
  });
});
