import { decode, encode, encodeInto } from '@weft/codec';
import { describe, expect, it } from 'vitest';

// Queues and pipes keep messages in a byte ring inside a SharedArrayBuffer: they encode into it and
// decode from it at any offset, odd ones included.
describe('encode into and decode from shared memory at any offset', () => {
  const values: unknown[] = [
    42,
    'hello',
    [42, null, 'hello'],
    { id: 1, name: 'x'.repeat(300), nested: { ok: true } },
    'é€😀'.repeat(50),
    `odd ${'\ud800'} surrogate ${'z'.repeat(40)}`,
    new Float64Array([1.5, -2, Number.NaN]),
    new Map([[1, new Set(['a'])]]),
    new Error('boom'),
    2n ** 100n,
    new Uint8Array(10_000).fill(7),
  ];

  it('round-trips every value at offsets 0 to 8 of a SharedArrayBuffer', () => {
    const ring = new Uint8Array(new SharedArrayBuffer(64 * 1024));
    for (const value of values) {
      for (let offset = 0; offset <= 8; offset++) {
        const written = encodeInto(value, ring, offset);
        expect(written).toBe(encode(value).length);
        expect(decode(ring, offset, written)).toStrictEqual(value);
        // The decoded value owns its memory: overwriting the ring does not change it.
        const decoded = decode(ring, { offset, length: written });
        ring.fill(0xee, offset, offset + written);
        expect(decoded).toStrictEqual(value);
      }
    }
  });

  it('a view with a byteOffset works like a fresh array', () => {
    const shared = new SharedArrayBuffer(4096);
    for (const value of values.slice(0, 6)) {
      const bytes = encode(value);
      const view = new Uint8Array(shared, 3, bytes.length);
      view.set(bytes);
      expect(decode(view)).toStrictEqual(value);
    }
  });
});
