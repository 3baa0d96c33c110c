/**
 * Generated and mutated bytes against decodeStrict: whatever comes in, the result is plain data (no
 * SharedArrayBuffer, no handle of a kind that is not dataOnly, no fromHandle of such a kind run) or a
 * DecodeError; never another error, a hang or a crash.
 */
import { DecodeError, decode, decodeStrict, encode, registerHandleKind } from '@weft/codec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

class Dangerous {
  constructor(readonly buffer: SharedArrayBuffer) {}
}
let dangerousRuns = 0;
registerHandleKind<Dangerous, { buffer: SharedArrayBuffer; source: string }>({
  name: 'strict-fuzz#Dangerous',
  type: Dangerous,
  toHandle: (value) => ({ buffer: value.buffer, source: '() => 1' }),
  fromHandle: (state) => {
    dangerousRuns++;
    return new Dangerous(state.buffer);
  },
});

class Tag {
  constructor(readonly label: string) {}
}
registerHandleKind<Tag, string>({
  name: 'strict-fuzz#Tag',
  type: Tag,
  dataOnly: true,
  toHandle: (tag) => tag.label,
  fromHandle: (label) => {
    if (typeof label !== 'string') throw new TypeError('a tag is a string');
    return new Tag(label);
  },
});

const shared = new SharedArrayBuffer(64);
const anything = fc.anything({
  maxDepth: 3,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withSparseArray: true,
  withTypedArray: true,
  stringUnit: 'binary',
});
/** Values holding every risky thing the encoder can write: handles, buffer ids, views over shared memory. */
const risky = fc.tuple(anything, fc.string(), fc.nat(8)).map(([value, label, offset]) => ({
  value,
  danger: new Dangerous(shared),
  tag: new Tag(label),
  view: new Int32Array(shared, offset * 4, 2),
  grow: new ArrayBuffer(2, { maxByteLength: 64 }),
}));

/** Walks a decoded value: no SharedArrayBuffer and no object of a kind strict decoding must refuse. */
function assertPlainData(value: unknown, seen = new Set<unknown>()): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  expect(value).not.toBeInstanceOf(SharedArrayBuffer);
  expect(value).not.toBeInstanceOf(Dangerous);
  if (ArrayBuffer.isView(value)) {
    expect(value.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    return;
  }
  const entries =
    value instanceof Map ? [...value.keys(), ...value.values()] : value instanceof Set ? [...value] : [];
  for (const item of entries) assertPlainData(item, seen);
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor && 'value' in descriptor) assertPlainData(descriptor.value, seen);
  }
}

function strictOutcome(bytes: Uint8Array): 'ok' | 'DecodeError' {
  try {
    assertPlainData(decodeStrict(bytes));
    return 'ok';
  } catch (error) {
    if (error instanceof DecodeError) return 'DecodeError';
    throw error;
  }
}

describe('decodeStrict under generated and mutated bytes', () => {
  it('random bytes: plain data or DecodeError', () => {
    const before = dangerousRuns;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 96 }), (bytes) => {
        expect(['ok', 'DecodeError']).toContain(strictOutcome(bytes));
      }),
      { numRuns: 3000 },
    );
    expect(dangerousRuns).toBe(before);
  });

  it('mutated encodings of handles, buffer ids and views: plain data or DecodeError', () => {
    const before = dangerousRuns;
    fc.assert(
      fc.property(
        risky,
        fc.array(fc.record({ at: fc.nat(), byte: fc.nat(255) }), { maxLength: 4 }),
        fc.nat(),
        (value, changes, cut) => {
          const bytes = encode(value).slice();
          for (const { at, byte } of changes) bytes[at % bytes.length] = byte;
          const length = changes.length === 0 ? bytes.length : bytes.length - (cut % 3);
          expect(['ok', 'DecodeError']).toContain(strictOutcome(bytes.subarray(0, length)));
        },
      ),
      { numRuns: 1500 },
    );
    expect(dangerousRuns).toBe(before);
  });

  it('every byte of a handle or buffer id replaced with every value: never code, never shared memory', () => {
    const before = dangerousRuns;
    const bytes = encode([new Dangerous(shared), new Tag('t'), new Uint8Array(shared, 4, 4)]);
    for (let at = 0; at < bytes.length; at++) {
      for (let byte = 0; byte < 256; byte++) {
        const mutated = bytes.slice();
        mutated[at] = byte;
        expect(['ok', 'DecodeError']).toContain(strictOutcome(mutated));
      }
    }
    expect(dangerousRuns).toBe(before);
  });

  it('plain data decodes to what decode gives', () => {
    fc.assert(
      fc.property(anything, (value) => {
        const bytes = encode(value);
        expect(decodeStrict(bytes)).toStrictEqual(decode(bytes));
      }),
      { numRuns: 800 },
    );
  });
});
