import { EOFError, OSError, Pipe, TimeoutError, ValueError } from '@weft/pipe';
import { describe, expect, it } from 'vitest';

describe('one-way pipes (the notes s3-08)', () => {
  it('Pipe({ duplex: false }) gives [receiveOnly, sendOnly]', async () => {
    const [receiver, sender] = Pipe({ duplex: false });
    expect([receiver.readable, receiver.writable, sender.readable, sender.writable]).toEqual([
      true,
      false,
      false,
      true,
    ]);
    sender.send(['one', 'way']);
    expect(await receiver.recv()).toEqual(['one', 'way']);
    expect(() => receiver.send('back')).toThrow(OSError);
    expect(() => receiver.send('back')).toThrow(/read-only/);
    expect(() => receiver.sendBytes(new Uint8Array(1))).toThrow(OSError);
    expect(() => sender.recvSync()).toThrow(/write-only/);
    await expect(sender.recv()).rejects.toBeInstanceOf(OSError);
    expect(() => sender.pollSync()).toThrow(OSError);
  });

  it('duplex pipes (the default) send and receive at both ends', async () => {
    const [a, b] = Pipe();
    expect([a.readable, a.writable, b.readable, b.writable]).toEqual([true, true, true, true]);
    a.send('to b');
    b.send('to a');
    expect([await a.recv(), await b.recv()]).toEqual(['to a', 'to b']);
  });
});

describe('sendBytes / recvBytes', () => {
  it('sends a slice given by byte offset and size; recvBytes returns exactly those bytes', async () => {
    const [a, b] = Pipe();
    a.sendBytes(new Uint8Array([0, 1, 2, 3, 4, 5]), 2, 3);
    a.sendBytes(new Uint8Array([9, 8, 7]).buffer, 1);
    a.sendBytes(new Uint32Array([0x01020304]));
    a.sendBytes(new Uint8Array(0));
    expect(await b.recvBytes()).toEqual(new Uint8Array([2, 3, 4]));
    expect(b.recvBytesSync()).toEqual(new Uint8Array([8, 7]));
    expect((await b.recvBytes()).length).toBe(4);
    expect(await b.recvBytes()).toEqual(new Uint8Array(0));
  });

  it('rejects offsets and sizes outside the buffer with ValueError, sending nothing', () => {
    const [a, b] = Pipe();
    const bytes = new Uint8Array(4);
    expect(() => a.sendBytes(bytes, -1)).toThrow(ValueError);
    expect(() => a.sendBytes(bytes, 5)).toThrow('buffer length < offset');
    expect(() => a.sendBytes(bytes, 0, -1)).toThrow('size is negative');
    expect(() => a.sendBytes(bytes, 2, 3)).toThrow('buffer length < offset + size');
    expect(b.pollSync()).toBe(false);
  });

  it('a message longer than maxLength raises OSError and leaves the connection unreadable, as in Python', async () => {
    const [a, b] = Pipe();
    a.sendBytes(new Uint8Array(10));
    a.sendBytes(new Uint8Array(1));
    await expect(b.recvBytes(5)).rejects.toThrow(/bad message length/);
    expect(() => b.recvSync()).toThrow(OSError);
    const [c, d] = Pipe();
    c.sendBytes(new Uint8Array(5));
    expect(d.recvBytesSync(5).length).toBe(5);
  });

  it('recv of a sendBytes message gives the bytes; recvBytes of a send message gives its encoding', async () => {
    const [a, b] = Pipe();
    a.sendBytes(new Uint8Array([1, 2]));
    a.send('text');
    expect(await b.recv()).toEqual(new Uint8Array([1, 2]));
    expect((await b.recvBytes()).length).toBeGreaterThan(0);
  });

  it('recvBytesInto copies into a buffer at an offset and raises when it does not fit', async () => {
    const [a, b] = Pipe();
    const target = new Uint8Array(6);
    a.sendBytes(new Uint8Array([7, 7, 7]));
    expect(await b.recvBytesInto(target, 2)).toBe(3);
    expect(target).toEqual(new Uint8Array([0, 0, 7, 7, 7, 0]));
    a.sendBytes(new Uint8Array(10));
    await expect(b.recvBytesInto(target)).rejects.toThrow(/buffer too short/);
  });
});

describe('poll and timeouts', () => {
  it('poll() checks and returns at once, as in Python; poll(ms) waits up to ms; poll(null) waits for a message', async () => {
    const [a, b] = Pipe();
    expect(await b.poll()).toBe(false);
    expect(b.pollSync()).toBe(false);
    let start = performance.now();
    expect(await b.poll(50)).toBe(false);
    expect(performance.now() - start).toBeGreaterThanOrEqual(50);
    start = performance.now();
    expect(b.pollSync(50)).toBe(false);
    expect(performance.now() - start).toBeGreaterThanOrEqual(50);
    setTimeout(() => a.send('x'), 20);
    expect(await b.poll(null)).toBe(true);
    expect(b.pollSync()).toBe(true);
    expect(await b.recv()).toBe('x'); // poll does not consume
  });

  it('recv and recvSync with a timeout raise TimeoutError, not before the timeout, and consume nothing', async () => {
    const [a, b] = Pipe();
    let start = performance.now();
    await expect(b.recv({ timeout: 50 })).rejects.toBeInstanceOf(TimeoutError);
    expect(performance.now() - start).toBeGreaterThanOrEqual(50);
    start = performance.now();
    expect(() => b.recvSync({ timeout: 50 })).toThrow(TimeoutError);
    expect(performance.now() - start).toBeGreaterThanOrEqual(50);
    a.send('after');
    expect(await b.recv({ timeout: 30_000 })).toBe('after');
  });

  it('an aborted recv rejects with the reason; the next message still arrives', async () => {
    const [a, b] = Pipe();
    const controller = new AbortController();
    const waiting = b.recv({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 20);
    await expect(waiting).rejects.toThrow('stop');
    a.send('kept');
    expect(await b.recv()).toBe('kept');
    const aborted = AbortSignal.abort(new Error('early'));
    await expect(b.poll(null, { signal: aborted })).rejects.toThrow('early');
  });

  it('rejects negative timeouts with ValueError', async () => {
    const [, b] = Pipe();
    expect(() => b.pollSync(-1)).toThrow(ValueError);
    await expect(b.recv({ timeout: -5 })).rejects.toBeInstanceOf(ValueError);
  });

  it('new Connection() is not for users', async () => {
    const { Connection } = await import('@weft/pipe');
    expect(() => new Connection()).toThrow(TypeError);
    expect(new EOFError().name).toBe('EOFError');
  });
});
