import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { copyBytes, copyOfBytes, decode, encode, encodeInto } from '@weft/codec';
import { describe, expect, it } from 'vitest';

const MB = 1 << 20;

/** Byte i of a pattern distinct for each `seed`. */
function pattern(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (seed * 131 + i * 7 + (i >> 8)) & 255;
  return bytes;
}

type Memory = 'plain' | 'shared' | 'growable';

/** `size` bytes at byte `offset` of memory of the given kind, filled with 0xee around and inside. */
function area(kind: Memory, offset: number, size: number): Uint8Array {
  const total = offset + size + 16;
  const buffer =
    kind === 'plain'
      ? new ArrayBuffer(total)
      : kind === 'shared'
        ? new SharedArrayBuffer(total)
        : new SharedArrayBuffer(total, { maxByteLength: total * 2 } as never);
  return new Uint8Array(buffer).fill(0xee);
}

const sizes = [0, 1, 7, 1023, 1024, 1025, 4096 + 3, 65_536, MB, MB + 5];
const kinds: Memory[] = ['plain', 'shared', 'growable'];

describe('copyBytes', () => {
  for (const from of kinds) {
    for (const to of kinds) {
      it(`copies ${from} memory into ${to} memory at any size and alignment`, () => {
        for (const size of sizes) {
          for (const [sourceOffset, targetOffset] of [
            [0, 0],
            [3, 0],
            [0, 5],
            [8, 16],
            [1, 6],
          ] as const) {
            const expected = pattern(size, size + sourceOffset);
            const sourceMemory = area(from, sourceOffset, size);
            sourceMemory.set(expected, sourceOffset);
            const source = sourceMemory.subarray(sourceOffset, sourceOffset + size);
            const target = area(to, 0, targetOffset + size);
            copyBytes(target, targetOffset, source);
            expect(Buffer.compare(target.subarray(targetOffset, targetOffset + size), expected)).toBe(0);
            // Nothing outside the range is touched.
            expect(target.subarray(0, targetOffset).every((b) => b === 0xee)).toBe(true);
            expect(target.subarray(targetOffset + size).every((b) => b === 0xee)).toBe(true);
          }
        }
      });
    }
  }

  it('refuses a range that does not fit, as set() does', () => {
    const target = new Uint8Array(new SharedArrayBuffer(4096));
    expect(() => copyBytes(target, 1, new Uint8Array(4096))).toThrow(RangeError);
    expect(() => copyBytes(target, 4000, new Uint8Array(200))).toThrow(RangeError);
  });
});

describe('copyOfBytes', () => {
  for (const kind of kinds) {
    it(`copies ${kind} memory into an ArrayBuffer of its own`, () => {
      for (const size of sizes) {
        const memory = area(kind, 3, size);
        memory.set(pattern(size, 9), 3);
        const source = memory.subarray(3, 3 + size);
        const copy = copyOfBytes(source);
        expect(copy.buffer).toBeInstanceOf(ArrayBuffer);
        expect(copy.byteOffset).toBe(0);
        expect(copy.buffer.byteLength).toBe(size);
        expect(Buffer.compare(copy, pattern(size, 9))).toBe(0);
        // The copy is independent of its source.
        if (size > 0) {
          source[0] = source[0]! ^ 0xff;
          expect(copy[0]).toBe(pattern(1, 9)[0]);
        }
      }
    });
  }

  it('keeps only the newest copy of 64 KB to 4 MB alive after it is dropped', () => {
    const program = fileURLToPath(new URL('./fixtures/newest-copy-program.mjs', import.meta.url));
    const run = spawnSync(process.execPath, ['--expose-gc', program], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      newestKept: true,
      replacedByNext: true,
      firstFreedOnceReplaced: true,
      smallNotKept: false,
      largeNotKept: false,
    });
  });
});

describe('the codec copies large buffers to and from shared memory whole', () => {
  it('encodes into and decodes out of a SharedArrayBuffer', () => {
    const value = {
      head: pattern(100, 1),
      body: pattern(3 * MB + 3, 2),
      floats: new Float64Array(70_000).fill(0.5),
    };
    const target = new Uint8Array(new SharedArrayBuffer(8 * MB));
    const written = encodeInto(value, target, 5);
    expect(written).toBe(encode(value).length);
    const back = decode(target, 5, written) as typeof value;
    expect(Buffer.compare(back.head, value.head)).toBe(0);
    expect(Buffer.compare(back.body, value.body)).toBe(0);
    expect(back.body.buffer).toBeInstanceOf(ArrayBuffer);
    expect(Array.from(back.floats.subarray(0, 3))).toEqual([0.5, 0.5, 0.5]);
    expect(back.floats.length).toBe(70_000);
  });
});
