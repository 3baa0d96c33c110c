/**
 * decodeStrict: what bytes from a socket may become. Plain data decodes as `decode` would; a handle
 * (unless its kind is registered `dataOnly`), a SharedArrayBuffer id, or a kind's package to import are
 * refused with DecodeError before anything of theirs runs.
 */
import {
  DecodeError,
  decode,
  decodeStrict,
  encode,
  isHandleKindRegistered,
  registerHandleKind,
} from '@weft/codec';
import { describe, expect, it } from 'vitest';

const HANDLE = 0x1a;
const STRING_UTF8 = 0x07;

/** The bytes of a HANDLE of kind `name` whose state is `state`: what a hostile peer can write. */
function handleBytes(name: string, state: unknown): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const stateBytes = encode(state);
  if (nameBytes.length > 127) throw new Error('name too long for this helper');
  const bytes = new Uint8Array(3 + nameBytes.length + stateBytes.length);
  bytes[0] = HANDLE;
  bytes[1] = STRING_UTF8;
  bytes[2] = nameBytes.length;
  bytes.set(nameBytes, 3);
  bytes.set(stateBytes, 3 + nameBytes.length);
  return bytes;
}

/** A kind that turns source text into a function, as PriorityQueue's `compare` did. */
class Compiled {
  constructor(readonly run: () => unknown) {}
}
let compiledRuns = 0;
registerHandleKind<Compiled, { source: string }>({
  name: 'strict-test#Compiled',
  type: Compiled,
  toHandle: (value) => ({ source: value.run.toString() }),
  fromHandle: (state) => {
    compiledRuns++;
    return new Compiled(new Function(`return (${state.source});`)() as () => unknown);
  },
});

/** A kind whose state is plain data and which says so. */
class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}
registerHandleKind<Point, { x: number; y: number }>({
  name: 'strict-test#Point',
  type: Point,
  dataOnly: true,
  toHandle: (point) => ({ x: point.x, y: point.y }),
  fromHandle: (state) => {
    if (typeof state?.x !== 'number' || typeof state?.y !== 'number') throw new TypeError('bad point');
    return new Point(state.x, state.y);
  },
});

describe('strict decoding is data only', () => {
  it('refuses a handle whose kind is not dataOnly, without running its fromHandle', () => {
    const bytes = encode({ f: new Compiled(() => 42) });
    expect((decode(bytes) as { f: Compiled }).f.run()).toBe(42); // the trusted path still works
    const before = compiledRuns;
    expect(() => decodeStrict(bytes)).toThrow(DecodeError);
    expect(() => decodeStrict(bytes)).toThrow(/strict-test#Compiled.*cannot arrive from the network/);
    expect(compiledRuns).toBe(before);
  });

  it('never imports the package a kind name points to', () => {
    const name = `${new URL('./fixtures/counter-kind.mjs', import.meta.url).href}#Counter`;
    expect(isHandleKindRegistered(name)).toBe(false);
    expect(() => decodeStrict(handleBytes(name, {}))).toThrow(/cannot arrive from the network/);
    expect(isHandleKindRegistered(name)).toBe(false);
  });

  it('refuses a SharedArrayBuffer id, even one this thread knows', () => {
    const buffer = new SharedArrayBuffer(16);
    const bytes = encode({ view: new Int32Array(buffer) });
    expect((decode(bytes) as { view: Int32Array }).view.buffer).toBe(buffer);
    expect(() => decodeStrict(bytes)).toThrow(/SharedArrayBuffer cannot arrive from the network/);
    expect(() => decodeStrict(encode(buffer))).toThrow(DecodeError);
  });

  it('accepts a dataOnly kind, and decodes its state by the same rules', () => {
    const decoded = decodeStrict(encode([new Point(1, 2)])) as Point[];
    expect(decoded[0]).toBeInstanceOf(Point);
    expect(decoded[0]).toEqual(new Point(1, 2));
    // A state that names shared memory is refused inside the handle too.
    expect(() =>
      decodeStrict(handleBytes('strict-test#Point', { x: new SharedArrayBuffer(4), y: 1 })),
    ).toThrow(/SharedArrayBuffer cannot arrive/);
    // Whatever fromHandle throws on a bad state is a DecodeError of the bytes.
    expect(() => decodeStrict(handleBytes('strict-test#Point', { x: 'a', y: 1 }))).toThrow(DecodeError);
  });

  it('decodes plain data exactly as decode does', () => {
    const value = {
      n: [1, -2, 3.5, 2n ** 80n, Number.NaN, -0],
      s: 'héllo \ud800',
      m: new Map<unknown, unknown>([[1, new Set(['a'])]]),
      d: new Date(1),
      r: /x/g,
      t: new Float32Array([1, 2, 3]),
      b: Buffer.from('buf'),
      e: Object.assign(new TypeError('boom'), { code: 'E_X' }),
      sparse: Object.assign([], { length: 900, 3: 'x' }),
      grow: new ArrayBuffer(4, { maxByteLength: 4096 }),
    };
    const bytes = encode(value);
    expect(decodeStrict(bytes)).toStrictEqual(decode(bytes));
  });

  it('checks its arguments like decode', () => {
    expect(() => decodeStrict([1] as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => decodeStrict(new Uint8Array(4), 3, 2)).toThrow(RangeError);
    expect(decodeStrict(encode('abc'))).toBe('abc');
  });
});
