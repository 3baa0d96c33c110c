import { Lock, RLock } from '@weft/lock';
import { OverflowError, RawValue, SynchronizedValue, Value, ValueError } from '@weft/shared-memory';
import { describe, expect, it } from 'vitest';

describe('Value and RawValue', () => {
  it("Value('d', 0.0) and friends read back what was written", () => {
    const num = new Value('d', 0.0);
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: the notes' own literal
    num.value = 3.1415927;
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: the notes' own literal
    expect(num.value).toBe(3.1415927);
    const small = new Value('b', -128);
    expect(small.value).toBe(-128);
    const unsigned = new RawValue('I', 2 ** 32 - 1);
    expect(unsigned.value).toBe(2 ** 32 - 1);
    const float = new Value('f', 0.5);
    expect(float.value).toBe(0.5);
    expect(new Value('i').value).toBe(0);
  });

  it("64-bit typecodes ('q', 'Q', and 'l'/'L' which are 64-bit as on CPython/Linux) use BigInt", () => {
    expect(new Value('q', -(2n ** 63n)).value).toBe(-(2n ** 63n));
    expect(new Value('Q', 2n ** 64n - 1n).value).toBe(2n ** 64n - 1n);
    const long = new Value('l', 2n ** 40n);
    long.value += 1n;
    expect(long.value).toBe(2n ** 40n + 1n);
    expect(new RawValue('L').value).toBe(0n);
    expect(() => new Value('q', 5 as unknown as bigint)).toThrow(/needs a BigInt \(e\.g\. 5n\)/);
  });

  it('an unknown typecode is a ValueError naming the valid ones', () => {
    expect(() => new Value('x' as 'i', 0)).toThrow(ValueError);
    expect(() => new Value('x' as 'i', 0)).toThrow(
      /bad typecode "x" \(must be one of b B h H i I l L q Q f d/,
    );
  });

  it('a value of the wrong type is a TypeError; nothing is written', () => {
    const value = new Value('i', 7);
    expect(() => {
      value.value = 1.5;
    }).toThrow(TypeError);
    expect(() => {
      value.value = '3' as unknown as number;
    }).toThrow(/needs an integer, got the string "3"/);
    expect(value.value).toBe(7);
    expect(() => new Value('d', 'x' as unknown as number)).toThrow(TypeError);
  });

  it('an integer out of range is an OverflowError (like Python array, unlike ctypes wrapping)', () => {
    expect(() => new Value('b', 128)).toThrow(OverflowError);
    expect(() => new Value('B', -1)).toThrow(OverflowError);
    expect(() => new Value('Q', -1n)).toThrow(OverflowError);
    const value = new Value('h', 1);
    expect(() => {
      value.value = 40_000;
    }).toThrow(/40000 is out of range for typecode 'h' \(-32768 to 32767\)/);
    expect(value.value).toBe(1);
  });

  it("Value('str', …) holds UTF-8 text up to maxBytes; longer text is a ValueError and changes nothing", () => {
    const text = new Value('str', 'Hello World', { maxBytes: 16 });
    expect(text.value).toBe('Hello World');
    expect(text.maxBytes).toBe(16);
    text.value = 'héllo wörld';
    expect(text.value).toBe('héllo wörld');
    expect(() => {
      text.value = 'this is far too long';
    }).toThrow(ValueError);
    expect(() => {
      text.value = 'this is far too long';
    }).toThrow('the string needs 20 UTF-8 bytes but this Value holds at most 16 (maxBytes)');
    expect(text.value).toBe('héllo wörld');
    expect(() => {
      text.value = 5 as unknown as string;
    }).toThrow(TypeError);
    expect(new Value('str', 'x'.repeat(100)).maxBytes).toBe(100);
    expect(new RawValue('str').value).toBe('');
    expect(() => new Value('str', 'too long', { maxBytes: 3 })).toThrow(ValueError);
    expect(() => new Value('i', 1, { maxBytes: 3 })).toThrow(ValueError);
  });

  it('lock: true (default) gives an RLock; a given lock is used; lock: false gives a RawValue without getLock', () => {
    const value = new Value('i', 0);
    expect(value).toBeInstanceOf(SynchronizedValue);
    expect(value.getLock()).toBeInstanceOf(RLock);
    const lock = new Lock();
    expect(new Value('i', 0, { lock }).getLock()).toBe(lock);
    const raw = new Value('i', 0, { lock: false });
    expect(raw).toBeInstanceOf(RawValue);
    expect(raw).not.toBeInstanceOf(SynchronizedValue);
    expect('getLock' in raw).toBe(false);
    expect(() => new Value('i', 0, { lock: 'yes' as unknown as boolean })).toThrow(TypeError);
  });

  it('read-modify-write under its own lock; a str Value under a held plain Lock does not deadlock', () => {
    const counter = new Value('i', 0);
    for (let i = 0; i < 10; i++) counter.getLock().withLockSync(() => (counter.value += 1));
    expect(counter.value).toBe(10);
    const lock = new Lock();
    const text = new Value('str', 'a', { lock });
    lock.withLockSync(() => {
      text.value = `${text.value}b`;
    });
    expect(text.value).toBe('ab');
    expect(lock.locked()).toBe(false);
  });

  it('rebuilds from its handle over the same memory, with the same lock', () => {
    const value = new Value('d', 1.5);
    const twin = Value.fromHandle<'d'>(value.toHandle());
    expect(twin).toBeInstanceOf(SynchronizedValue);
    twin.value = 2.5;
    expect(value.value).toBe(2.5);
    value.getLock().acquireSync();
    expect((twin as SynchronizedValue<'d'>).getLock().locked()).toBe(true);
    value.getLock().release();
    const raw = RawValue.fromHandle(new RawValue('i', 3).toHandle());
    expect(raw).not.toBeInstanceOf(SynchronizedValue);
    expect(raw.value).toBe(3);
  });
});
