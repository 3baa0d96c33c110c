import { decode } from '@weft/codec';
import { Pipe } from '@weft/pipe';
import { describe, expect, it } from 'vitest';

/** Receiving decodes from memory the thread reuses: what was received must not change afterwards. */
describe('received messages are the receiver’s own', () => {
  it('bytes, encodings and values received earlier stay intact while later messages arrive', async () => {
    const [receiver, sender] = Pipe({ duplex: false });
    const first = new Uint8Array(300).fill(1);
    sender.sendBytes(first);
    sender.send(['a', 1]);
    sender.send(new Float64Array([1.5, 2.5]));
    sender.sendBytes(new Uint8Array(300).fill(2));
    sender.send('some later text that overwrites reused memory');
    sender.send({ big: new Uint8Array(100_000).fill(3) });

    const bytes = receiver.recvSync() as Uint8Array;
    const encoding = receiver.recvBytesSync();
    const floats = await receiver.recv();
    const later = await receiver.recvBytes();
    expect(receiver.recvSync()).toBe('some later text that overwrites reused memory');
    const big = (receiver.recvSync() as { big: Uint8Array }).big;

    expect(bytes).toEqual(new Uint8Array(300).fill(1));
    expect(decode(encoding)).toEqual(['a', 1]);
    expect(floats).toEqual(new Float64Array([1.5, 2.5]));
    expect(later).toEqual(new Uint8Array(300).fill(2));
    expect(big.length).toBe(100_000);
    expect(big.every((byte) => byte === 3)).toBe(true);
    // Each is backed by a buffer of exactly its own size, not by shared or reused memory.
    for (const array of [bytes, encoding, later]) {
      expect(array.buffer).toBeInstanceOf(ArrayBuffer);
      expect(array.buffer.byteLength).toBe(array.byteLength);
    }
  });
});
