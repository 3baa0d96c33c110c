import { runInNewContext } from 'node:vm';
import { decode, encode, encodeInto, encodeWith } from '@weft/codec';
import { describe, expect, it } from 'vitest';

function roundTrip<T>(value: T): T {
  return decode(encode(value)) as T;
}

describe('edge cases round trip like structuredClone', () => {
  it('primitives', () => {
    for (const value of [
      undefined,
      null,
      true,
      false,
      0,
      1,
      -1,
      2 ** 31 - 1,
      -(2 ** 31),
      2 ** 31,
      2 ** 53,
      1.5,
      NaN,
      Infinity,
      -Infinity,
      0n,
      -(2n ** 64n),
      2n ** 64n - 1n,
      '',
      'hello',
      'é€😀',
    ]) {
      expect(Object.is(roundTrip(value), value)).toBe(true);
    }
    expect(Object.is(roundTrip(-0), -0)).toBe(true);
  });

  it('long strings, ASCII and not', () => {
    const ascii = 'x'.repeat(100_000);
    const mixed = 'aé€😀'.repeat(20_000);
    const lone = `${'a'.repeat(70)}\ud800${'b'.repeat(70)}\udfff`;
    expect(roundTrip(ascii)).toBe(ascii);
    expect(roundTrip(mixed)).toBe(mixed);
    expect(roundTrip(lone)).toBe(lone);
  });

  it('Date, RegExp (lastIndex reset as structuredClone does), boxed primitives', () => {
    const regexp = /a(b)+/dgimsuy;
    regexp.lastIndex = 3;
    const decoded = roundTrip({
      date: new Date(123),
      bad: new Date(NaN),
      regexp,
      n: Object(-0),
      s: Object('s'),
      b: Object(false),
      big: Object(5n),
    });
    expect(decoded).toStrictEqual(
      structuredClone({
        date: new Date(123),
        bad: new Date(NaN),
        regexp,
        n: Object(-0),
        s: Object('s'),
        b: Object(false),
        big: Object(5n),
      }),
    );
    expect(decoded.regexp.lastIndex).toBe(0);
    expect(decoded.regexp.flags).toBe(regexp.flags);
  });

  it('arrays: holes, sparse, extra properties', () => {
    // biome-ignore lint/suspicious/noSparseArray: holes are what this test is about
    const holes = [1, , 3];
    const sparse: number[] = [];
    sparse[1_000_000] = 1;
    const extra = Object.assign([1, 2], { label: 'x' });
    // biome-ignore lint/suspicious/noSparseArray: holes are what this test is about
    const holeAndExtra = Object.assign([, 1], { x: 2 });
    for (const value of [holes, sparse, extra, holeAndExtra, [], new Array(5)]) {
      const decoded = roundTrip(value);
      expect(decoded).toStrictEqual(structuredClone(value));
      expect(Object.keys(decoded)).toStrictEqual(Object.keys(value));
      expect(decoded.length).toBe(value.length);
    }
    // A sparse array stays small on the wire.
    expect(encode(sparse).length).toBeLessThan(32);
  });

  it('Map and Set keep order, object keys keep order, __proto__ stays an own key', () => {
    const map = new Map<unknown, unknown>([
      [{ k: 1 }, 'object key'],
      [NaN, 1],
      ['b', 2],
    ]);
    const set = new Set([3, 1, 2]);
    const object = JSON.parse('{"b":1,"a":2,"__proto__":{"x":1},"1":3}') as Record<string, unknown>;
    const decoded = roundTrip({ map, set, object });
    expect([...decoded.map.values()]).toStrictEqual([...map.values()]);
    expect([...decoded.set]).toStrictEqual([3, 1, 2]);
    expect(Object.keys(decoded.object)).toStrictEqual(Object.keys(object));
    expect(Object.getPrototypeOf(decoded.object)).toBe(Object.prototype);
    expect(Object.hasOwn(decoded.object, '__proto__')).toBe(true);
  });

  it('null-prototype objects arrive as plain objects, as with structuredClone', () => {
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    const decoded = roundTrip(bare);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(decoded).toStrictEqual({ a: 1 });
  });

  it('objects, arrays and errors made in another realm (vm context)', () => {
    const foreign = runInNewContext('({ list: [1, { a: 2 }], error: new TypeError("there") })') as {
      list: unknown[];
      error: Error;
    };
    const decoded = roundTrip(foreign);
    expect(decoded.list).toStrictEqual([1, { a: 2 }]);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(decoded.error).toBeInstanceOf(TypeError);
    expect(decoded.error.message).toBe('there');
  });

  it('cycles and shared references', () => {
    const node: Record<string, unknown> = { name: 'root' };
    node.self = node;
    const shared = { x: 1 };
    const list: unknown[] = [shared, shared];
    list.push(list);
    const map = new Map<unknown, unknown>();
    map.set(map, map);
    const decoded = roundTrip({ node, list, map });
    expect(decoded.node.self).toBe(decoded.node);
    expect(decoded.list[0]).toBe(decoded.list[1]);
    expect(decoded.list[2]).toBe(decoded.list);
    expect(decoded.map.get(decoded.map)).toBe(decoded.map);
  });

  it('ArrayBuffer, resizable ArrayBuffer, typed arrays and DataView sharing one buffer', () => {
    const buffer = new ArrayBuffer(32);
    const bytes = new Uint8Array(buffer);
    bytes.forEach((_, i) => {
      bytes[i] = i;
    });
    const floats = new Float64Array(buffer, 8, 2);
    const view = new DataView(buffer, 3, 5);
    const resizable = new ArrayBuffer(4, { maxByteLength: 64 });
    const decoded = roundTrip({ buffer, floats, view, bytes, resizable, big: new BigInt64Array([-1n, 2n]) });
    expect(decoded.floats.buffer).toBe(decoded.buffer);
    expect(decoded.view.buffer).toBe(decoded.buffer);
    expect(decoded.view.byteOffset).toBe(3);
    expect(decoded.view.byteLength).toBe(5);
    expect(new Uint8Array(decoded.buffer)).toStrictEqual(bytes);
    expect(decoded.resizable.resizable).toBe(true);
    expect(decoded.resizable.maxByteLength).toBe(64);
    expect(decoded.big).toStrictEqual(new BigInt64Array([-1n, 2n]));
  });

  it('a 1 MB typed array', () => {
    const big = new Float64Array(131_072).map((_, i) => i * 1.5);
    const decoded = roundTrip(big);
    expect(decoded).toBeInstanceOf(Float64Array);
    expect(Buffer.compare(Buffer.from(decoded.buffer), Buffer.from(big.buffer))).toBe(0);
  });

  it('a Node Buffer arrives as a Buffer holding only its own bytes', () => {
    const small = Buffer.from('hello'); // a slice of Node's 8 KB pool
    const decoded = roundTrip(small);
    expect(Buffer.isBuffer(decoded)).toBe(true);
    expect(decoded.toString()).toBe('hello');
    expect(decoded.buffer.byteLength).toBe(5);
    expect(encode(small).length).toBeLessThan(16);
  });

  it('errors: type, name, message, stack, cause, primitive own properties', () => {
    const cause = new RangeError('inner');
    const error = Object.assign(new TypeError('outer', { cause }), {
      code: 'E_X',
      errno: -2,
      detail: { dropped: true },
    });
    const decoded = roundTrip(error);
    expect(decoded).toBeInstanceOf(TypeError);
    expect(decoded.message).toBe('outer');
    expect(decoded.stack).toBe(error.stack);
    expect(decoded.cause).toBeInstanceOf(RangeError);
    expect((decoded.cause as Error).message).toBe('inner');
    expect(decoded.code).toBe('E_X');
    expect(decoded.errno).toBe(-2);
    expect('detail' in decoded).toBe(false);
    expect(Object.getOwnPropertyDescriptor(decoded, 'message')?.enumerable).toBe(false);

    class ValidationError extends Error {
      override name = 'ValidationError';
    }
    const custom = roundTrip(new ValidationError('bad input'));
    expect(custom).toBeInstanceOf(Error);
    expect(custom.name).toBe('ValidationError');
    expect(custom.message).toBe('bad input');

    const selfCaused = new Error('loop');
    (selfCaused as { cause?: unknown }).cause = selfCaused;
    const loop = roundTrip(selfCaused);
    expect(loop.cause).toBe(loop);
  });

  it('a result at byte 0 of its buffer owns the whole buffer, so transferring it is safe', () => {
    for (const size of [0, 1, 10, 100, 1000, 1020, 1030, 5000, 100_000]) {
      for (let i = 0; i < 50; i++) {
        const bytes = encode('x'.repeat(size));
        if (bytes.byteOffset === 0) expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
      }
    }
    // Someone transfers a result's buffer anyway: later results still get memory of their own.
    const first = encode('a');
    structuredClone(first.buffer, { transfer: [first.buffer as ArrayBuffer] });
    expect(decode(encode({ after: 'transfer' }))).toStrictEqual({ after: 'transfer' });
  });

  it('encodeInto and encodeWith give the same bytes as encode', () => {
    const value = { a: [1, 'two', new Float64Array(1000)] };
    const expected = encode(value);
    const target = new Uint8Array(expected.length + 10);
    expect(encodeInto(value, target, 10)).toBe(expected.length);
    expect(target.subarray(10)).toStrictEqual(expected);
    expect(decode(target, 10)).toStrictEqual(value);
    expect(decode(target, 10, expected.length)).toStrictEqual(value);
    expect(() => encodeInto(value, new Uint8Array(4))).toThrow(RangeError);
    expect(encodeWith(value, (bytes) => bytes.slice())).toStrictEqual(expected);
  });

  it('large buffers: encodeWith reuses its memory, encode results and nested encodes stay intact', () => {
    // Compared byte-wise with Buffer.equals: expect's deep equality walks a 1 MB array element by element
    // and takes seconds per comparison.
    type Big = { label: string; data: Uint8Array };
    const big = (fill: number): Big => ({ label: `fill ${fill}`, data: new Uint8Array(1 << 20).fill(fill) });
    const sameBytes = (a: Uint8Array, b: Uint8Array) =>
      a.length === b.length &&
      Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
    const expectBig = (value: unknown, fill: number) => {
      const { label, data } = value as Big;
      expect(label).toBe(`fill ${fill}`);
      expect(data).toBeInstanceOf(Uint8Array);
      expect(sameBytes(data, big(fill).data)).toBe(true);
    };
    const kept = encode(big(1));
    const first = encodeWith(big(2), (bytes) => {
      // A nested encodeWith gets memory of its own: the outer view is not overwritten.
      const outerCopy = bytes.slice();
      const inner = encodeWith(big(3), (innerBytes) => decode(innerBytes));
      expect(sameBytes(bytes, outerCopy)).toBe(true);
      expectBig(inner, 3);
      return decode(bytes);
    });
    expectBig(first, 2);
    // The same thread's next large encodeWith, and encode's own result, are unaffected by each other.
    for (let fill = 4; fill < 8; fill++) {
      expectBig(
        encodeWith(big(fill), (bytes) => decode(bytes)),
        fill,
      );
    }
    expectBig(decode(kept), 1);
    const target = new Uint8Array(kept.length);
    expect(encodeInto(big(1), target)).toBe(kept.length);
    expect(sameBytes(target, kept)).toBe(true);
  });

  it('encodeWith hands out the current bytes after its memory grew or was dropped', () => {
    // Small messages get a cached view of the encoder's memory; a message that grows (or a huge one
    // that makes it drop) that memory must not leave a stale view behind.
    const small = (n: number) => [n, 'x'.repeat(n % 7)];
    const check = (value: unknown) => {
      const bytes = encodeWith(value, (view) => Buffer.from(view));
      expect(bytes.equals(encode(value))).toBe(true);
    };
    for (let round = 0; round < 3; round++) {
      for (let n = 0; n < 40; n++) check(small(n));
      check({ grows: 'y'.repeat(50_000 * (round + 1)) });
      check({ dropped: 'z'.repeat(3_000_000) });
      for (let n = 0; n < 40; n++) check(small(n));
    }
  });

  it('encode inside a getter during encode does not corrupt the outer value', () => {
    const inner = { z: 'inner' };
    const outer = {
      before: 'x'.repeat(40),
      get nested() {
        return encode(inner);
      },
      after: [1, 2, 3],
    };
    const decoded = roundTrip(outer) as { before: string; nested: Uint8Array; after: number[] };
    expect(decoded.before).toBe(outer.before);
    expect(decode(decoded.nested)).toStrictEqual(inner);
    expect(decoded.after).toStrictEqual([1, 2, 3]);
  });
});
