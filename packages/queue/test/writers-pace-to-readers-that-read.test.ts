import { ByteRing, NO_READER, PACE_HIGH, PUSHED } from '@weft/queue';
import { describe, expect, it } from 'vitest';
import { isPacedRecord, pacedRecord } from './fixtures/paced-records.mjs';
import { runWorker, until } from './run-worker.js';

const MB = 1 << 20;
const forever = { block: true, timeout: 30_000 };

interface WriterReport {
  outcomes: Record<string, number>;
  overLow: number;
  refused: number;
  capacity: number;
}

/** Pushes records until more than PACE_HIGH (+ `extra`) bytes are unread; returns how many. */
function fillPastHigh(ring: ByteRing, size: number, extra = 0): number {
  let id = 0;
  while (ring.unreadBytes() <= PACE_HIGH + extra) expect(ring.tryPush(pacedRecord(id++, size))).toBe(PUSHED);
  return id;
}

// pace() is the flow control of a pipe's send: a writer that is far ahead of readers that are reading
// waits for them, so the ring stays small (memory already mapped, still in cache); a writer never waits
// for readers that do not read.
describe('ByteRing.pace', () => {
  it('returns at once while no more than PACE_HIGH bytes are unread', () => {
    const ring = ByteRing.create();
    expect(ring.pace()).toBe('under');
    for (let id = 0; id < 3; id++) ring.tryPush(pacedRecord(id, MB));
    expect(ring.unreadBytes()).toBeLessThanOrEqual(PACE_HIGH);
    expect(ring.pace()).toBe('under');
  });

  it('gives up on readers that do not read, and waits again only after one has read', async () => {
    const size = 512 * 1024;
    const ring = ByteRing.create();
    const pushed = fillPastHigh(ring, size, 2 * size);
    // Nobody reads: the wait ends with no pop, and the next calls do not wait at all.
    expect(ring.pace()).toBe('stalled');
    expect(ring.pace()).toBe('idle');
    expect(ring.pace()).toBe('idle');
    // Another thread takes a record: the readers may be reading again, so the writer waits again
    // (and, with no more pops, gives up again).
    const reader = runWorker<{ taken: number; bad: number }>('slow-reader.mjs', {
      buffer: ring.buffer,
      count: 1,
      size,
      pauseMs: 0,
    });
    expect((await reader.done)[0]).toEqual({ taken: 1, bad: 0 });
    expect(ring.unreadBytes()).toBeGreaterThan(PACE_HIGH);
    expect(ring.pace()).toBe('stalled');
    // Once this thread takes from the ring itself, it never waits: it could be waiting for itself.
    expect(ring.takeSync(forever, (bytes) => isPacedRecord(bytes, 1, size))).toBe(true);
    expect(ring.pace()).toBe('reader-here');
    // Nothing was lost or reordered by any of it.
    for (let id = 2; id < pushed; id++) {
      expect(ring.takeSync(forever, (bytes) => isPacedRecord(bytes, id, size))).toBe(true);
    }
    expect(ring.count()).toBe(0);
  });

  it('returns at once on a closed ring', () => {
    const ring = ByteRing.create();
    fillPastHigh(ring, MB);
    ring.close('reading');
    expect(ring.pace()).toBe('closed');
    expect(ring.tryPush(pacedRecord(0, MB))).toBe(NO_READER);
  });

  it('keeps a fast writer within a few MB of a reader that reads, losing nothing', async () => {
    const count = 160;
    const size = MB;
    const ring = ByteRing.create();
    const reader = runWorker<{ taken: number; bad: number }>('slow-reader.mjs', {
      buffer: ring.buffer,
      count,
      size,
      pauseMs: 0.3,
    });
    const writer = runWorker<WriterReport>('pacing-writer.mjs', { buffer: ring.buffer, count, size });
    const [[read], [report]] = await Promise.all([reader.done, writer.done]);
    expect(read).toEqual({ taken: count, bad: 0 });
    expect(report!.refused).toBe(0);
    // The writer waited for the reader, and each wait that ended "caught up" really was.
    expect(report!.outcomes['caught-up']).toBeGreaterThan(0);
    expect(report!.overLow).toBe(0);
    // 160 MB went through a ring that stayed small (unpaced, the writer runs ~100 MB ahead).
    expect(report!.capacity).toBeLessThanOrEqual(64 * MB);
    expect(ring.count()).toBe(0);
  });

  it('waits at most PACE_MAX_MS in one call for a reader that reads steadily but slowly', async () => {
    const size = 64 * 1024;
    const ring = ByteRing.create();
    const pushed = fillPastHigh(ring, size, 2 * MB);
    // One pop every half millisecond or more: draining to PACE_LOW takes 64 pops, longer than one
    // call may wait (PACE_MAX_MS, 10 ms), and the first ones leave more than PACE_HIGH unread.
    const reader = runWorker<{ taken: number; bad: number }>('slow-reader.mjs', {
      buffer: ring.buffer,
      count: pushed,
      size,
      pauseMs: 0.5,
    });
    // Once the reader is reading (before that, the writer would rightly give up on it).
    await until(() => ring.count() < pushed, 'the reader took a record');
    const outcome = ring.pace();
    // 'stalled' only if the reader happened to be held up for PACE_STALL_MS meanwhile.
    expect(['limit', 'stalled']).toContain(outcome);
    const [read] = await reader.done;
    expect(read).toEqual({ taken: pushed, bad: 0 });
  });

  it('lets a pacing writer go when the reader closes the ring, with nothing half-written', async () => {
    const size = 256 * 1024;
    const ring = ByteRing.create();
    const reader = runWorker<{ taken: number; bad: number }>('slow-reader.mjs', {
      buffer: ring.buffer,
      count: 1000,
      size,
      pauseMs: 0.5,
      closeAfter: 40,
    });
    const writer = runWorker<WriterReport>('pacing-writer.mjs', { buffer: ring.buffer, count: 1000, size });
    const [[read], [report]] = await Promise.all([reader.done, writer.done]);
    expect(read).toEqual({ taken: 40, bad: 0 });
    // The writer saw the close (its next push was refused) instead of waiting on or writing forever.
    expect(report!.refused).toBe(1);
    expect(ring.isClosedForReading()).toBe(true);
  });
});
