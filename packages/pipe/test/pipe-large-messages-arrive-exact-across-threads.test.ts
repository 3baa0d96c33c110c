import { connectionToHandle, EOFError, Pipe } from '@weft/pipe';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs fixture helper, without types
import { firstMismatch, patternByte } from './fixtures/large-content.mjs';
import { runWorker } from './run-worker.js';

const mismatch = firstMismatch as (bytes: Uint8Array, seed: number, from?: number, length?: number) => number;
const byteOf = patternByte as (seed: number, i: number) => number;

type Step =
  | { kind: 'u8'; seed: number; size: number }
  | { kind: 'view'; seed: number; bufferSize: number; offset: number; size: number }
  | { kind: 'f64'; seed: number; length: number }
  | { kind: 'object'; id: number; seed: number; size: number }
  | { kind: 'bytes'; seed: number; bufferSize: number; offset: number; size: number | undefined }
  | { kind: 'small'; value: unknown };

/** Starts a worker that sends `plan` on the send-only end of a one-way pipe; returns the receiving end. */
function sendFromWorker(plan: Step[]) {
  const [receiver, sender] = Pipe({ duplex: false });
  const run = runWorker('send-large-plan.mjs', { conn: connectionToHandle(sender), plan });
  sender.close();
  return { receiver, run };
}

function isOwnMemory(array: ArrayBufferView): boolean {
  return array.buffer instanceof ArrayBuffer && !(array.buffer instanceof SharedArrayBuffer);
}

// Large messages are written straight into the pipe's shared memory and read from there in place;
// what is received must be exactly what was sent, in memory of its own that later messages never touch.
describe('large messages across worker threads', () => {
  it('Uint8Arrays of 32 KB to 9 MB arrive byte-exact, in memory of their own, and stay intact', async () => {
    const sizes = [
      32 * 1024 - 1,
      32 * 1024,
      32 * 1024 + 1,
      100_003,
      1 << 20,
      (1 << 20) + 3,
      3_000_001,
      9_000_000,
    ];
    // Each size several times, so the ring wraps and grows while earlier records are still read.
    const plan: Step[] = [];
    for (let round = 0; round < 3; round++) {
      for (const [i, size] of sizes.entries()) plan.push({ kind: 'u8', seed: round * 100 + i, size });
    }
    const { receiver, run } = sendFromWorker(plan);
    const kept: Uint8Array[] = [];
    for (const step of plan) {
      const { seed, size } = step as { seed: number; size: number };
      const bytes = receiver.recvSync() as Uint8Array;
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(bytes.length).toBe(size);
      expect(isOwnMemory(bytes)).toBe(true);
      expect(mismatch(bytes, seed)).toBe(-1);
      kept.push(bytes);
    }
    await run.done;
    expect(() => receiver.recvSync()).toThrow(EOFError);
    // Nothing received earlier was overwritten by what arrived later.
    for (const [i, bytes] of kept.entries()) {
      expect(mismatch(bytes, (plan[i] as { seed: number }).seed)).toBe(-1);
    }
    receiver.close();
  });

  it('large and small messages, views, floats, objects and raw bytes keep their order and contents', async () => {
    const plan: Step[] = [];
    for (let i = 0; i < 12; i++) {
      plan.push({ kind: 'small', value: [i, null, `small ${i}`] });
      plan.push({ kind: 'u8', seed: i, size: 40_000 + i * 90_001 });
      plan.push({ kind: 'view', seed: i + 50, bufferSize: 300_000 + i, offset: 3 + i, size: 200_000 });
      plan.push({ kind: 'small', value: 'x'.repeat(i * 10) });
      plan.push({ kind: 'f64', seed: i, length: 70_000 + i });
      plan.push({ kind: 'object', id: i, seed: i + 70, size: 50_000 + i * 1000 });
      // Raw bytes from odd offsets of a larger buffer, of sizes on both sides of 32 KB.
      plan.push({
        kind: 'bytes',
        seed: i + 90,
        bufferSize: 1_200_000,
        offset: 1 + i * 7,
        size: 1_000_000 - i,
      });
      plan.push({ kind: 'bytes', seed: i + 95, bufferSize: 40_000, offset: 5, size: 32 * 1024 - 2 + i });
      plan.push({ kind: 'bytes', seed: i + 97, bufferSize: 100_000 + i, offset: 11, size: undefined });
    }
    const { receiver, run } = sendFromWorker(plan);
    const kept: { step: Step; value: unknown }[] = [];
    const check = (step: Step, value: unknown) => {
      switch (step.kind) {
        case 'small':
          expect(value).toEqual(step.value);
          break;
        case 'u8': {
          const bytes = value as Uint8Array;
          expect(bytes.length).toBe(step.size);
          expect(isOwnMemory(bytes)).toBe(true);
          expect(mismatch(bytes, step.seed)).toBe(-1);
          break;
        }
        case 'view': {
          const view = value as Uint8Array;
          expect(view.byteOffset).toBe(step.offset);
          expect(view.length).toBe(step.size);
          expect(view.buffer.byteLength).toBe(step.bufferSize);
          expect(isOwnMemory(view)).toBe(true);
          expect(mismatch(new Uint8Array(view.buffer), step.seed)).toBe(-1);
          break;
        }
        case 'f64': {
          const floats = value as Float64Array;
          expect(floats).toBeInstanceOf(Float64Array);
          expect(floats.length).toBe(step.length);
          let wrong = -1;
          for (let i = 0; i < step.length && wrong < 0; i++) if (floats[i] !== step.seed + i / 4) wrong = i;
          expect(wrong).toBe(-1);
          break;
        }
        case 'object': {
          const { id, a, b } = value as { id: number; a: Uint8Array; b: Uint8Array };
          expect(id).toBe(step.id);
          expect([a.length, b.length]).toEqual([step.size, step.size + 5]);
          expect(isOwnMemory(a) && isOwnMemory(b)).toBe(true);
          expect([mismatch(a, step.seed), mismatch(b, step.seed + 1)]).toEqual([-1, -1]);
          break;
        }
        case 'bytes': {
          const bytes = value as Uint8Array;
          const size = step.size ?? step.bufferSize - step.offset;
          expect(bytes.length).toBe(size);
          expect(isOwnMemory(bytes)).toBe(true);
          let wrong = -1;
          for (let i = 0; i < size && wrong < 0; i++) {
            if (bytes[i] !== byteOf(step.seed, step.offset + i)) wrong = i;
          }
          expect(wrong).toBe(-1);
          break;
        }
      }
    };
    let n = 0;
    for (const step of plan) {
      let value: unknown;
      if (step.kind === 'bytes') {
        // Raw bytes through each receiving call in turn.
        const way = n++ % 3;
        if (way === 0) value = await receiver.recvBytes();
        else if (way === 1) value = receiver.recvSync();
        else {
          const size = step.size ?? step.bufferSize - step.offset;
          const target = new Uint8Array(size + 13);
          expect(await receiver.recvBytesInto(target, 13)).toBe(size);
          value = target.subarray(13);
        }
      } else {
        value = n++ % 2 === 0 ? await receiver.recv() : receiver.recvSync();
      }
      check(step, value);
      kept.push({ step, value });
    }
    await run.done;
    // Received values are the receiver's own: later messages changed none of them.
    for (const { step, value } of kept) check(step, value);
    receiver.close();
  });

  it('two readers of one end get each large message once, intact, while the writer keeps writing', async () => {
    const [receiver, sender] = Pipe({ duplex: false });
    const count = 150;
    const sizes = [40_000, 1_000_000, 5, 333_333, 2_100_000, 70_001, 1_500_000];
    const writer = runWorker('send-large-checked.mjs', { conn: connectionToHandle(sender), count, sizes });
    const readers = [0, 1].map(() =>
      runWorker<{ report: { id: number; size: number; ok: boolean }[]; stillIntact: boolean }>(
        'receive-large-checked.mjs',
        { conn: connectionToHandle(receiver) },
      ),
    );
    sender.close();
    receiver.close();
    await writer.done;
    const results = (await Promise.all(readers.map((reader) => reader.done))).map((messages) => messages[0]!);
    const seen = new Array<number>(count).fill(0);
    for (const { report, stillIntact } of results) {
      expect(stillIntact).toBe(true);
      for (const { id, size, ok } of report) {
        seen[id]! += 1;
        expect({ id, ok, size }).toEqual({ id, ok: true, size: sizes[id % sizes.length] });
      }
    }
    expect(seen.every((times) => times === 1)).toBe(true);
  });
});
