import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthenticationError, Client, EOFError, Listener, ProtocolError } from '@weft/manager';
import { afterAll, describe, expect, it } from 'vitest';

const socketDir = mkdtempSync(join(tmpdir(), 'weft-listener-'));
afterAll(() => rmSync(socketDir, { recursive: true, force: true }));

describe.each([
  ['TCP over a socket', () => ['127.0.0.1', 0] as const, false],
  ['TCP, same process (shared memory)', () => ['127.0.0.1', 0] as const, true],
  ['a Unix socket', () => join(socketDir, `s${Math.random().toString(36).slice(2)}.sock`), false],
])('Listener / Client over %s', (_, address, sharedMemory) => {
  it('send / recv both ways, sendBytes / recvBytes, poll, EOFError after close', async () => {
    await using listener = await Listener.listen(address(), { authkey: 'k', sharedMemory });
    const [server, client] = await Promise.all([
      listener.accept(),
      Client(listener.address, { authkey: 'k', sharedMemory }),
    ]);
    expect(client.transportKind).toBe(sharedMemory ? 'shared-memory' : 'socket');
    expect(await server.poll()).toBe(false);
    client.send([42, null, 'hello']);
    expect(await server.poll(60_000)).toBe(true);
    expect(await server.recv()).toEqual([42, null, 'hello']);
    server.send({ nested: new Map([[1, { big: 2n ** 70n }]]), bytes: new Uint8Array([1, 2, 3]) });
    expect(await client.recv()).toEqual({
      nested: new Map([[1, { big: 2n ** 70n }]]),
      bytes: new Uint8Array([1, 2, 3]),
    });
    client.sendBytes(new Uint8Array([9, 8, 7, 6, 5]), 1, 3);
    expect([...(await server.recvBytes())]).toEqual([8, 7, 6]);
    // A message far larger than the shared-memory ring streams through.
    const large = new Uint8Array(1_000_000).map((_, i) => i % 251);
    server.sendBytes(large);
    const received = await client.recvBytes();
    expect(Buffer.compare(received, large)).toBe(0); // (toEqual on a megabyte is very slow)
    // Messages keep their order.
    for (let i = 0; i < 100; i++) client.send(i);
    for (let i = 0; i < 100; i++) expect(await server.recv()).toBe(i);
    client.close();
    await expect(server.recv()).rejects.toBeInstanceOf(EOFError);
    server.close();
  });
});

describe('Listener / Client authentication and limits', () => {
  it('a wrong authkey is refused on the client; the listener accepts the next good client', async () => {
    const rejected: Error[] = [];
    await using listener = await Listener.listen(['127.0.0.1', 0], {
      authkey: 'right',
      onRejected: (e) => rejected.push(e),
    });
    await expect(Client(listener.address, { authkey: 'wrong' })).rejects.toBeInstanceOf(AuthenticationError);
    const [server, client] = await Promise.all([
      listener.accept(),
      Client(listener.address, { authkey: 'right' }),
    ]);
    client.send('after');
    expect(await server.recv()).toBe('after');
    expect(rejected.length).toBe(1);
    expect(rejected[0]).toBeInstanceOf(AuthenticationError);
    client.close();
    server.close();
  });

  it('a client that knows the key but talks to a listener with another key is refused too', async () => {
    await using listener = await Listener.listen(['127.0.0.1', 0], { authkey: new Uint8Array([1, 2, 3]) });
    void listener.accept().catch(() => {});
    await expect(Client(listener.address, { authkey: new Uint8Array([1, 2, 4]) })).rejects.toBeInstanceOf(
      AuthenticationError,
    );
  });

  it('a message over maxFrameSize closes the connection with ProtocolError', async () => {
    await using listener = await Listener.listen(['127.0.0.1', 0], {
      authkey: 'k',
      maxFrameSize: 1024,
      sharedMemory: false,
    });
    const [server, client] = await Promise.all([
      listener.accept(),
      Client(listener.address, { authkey: 'k' }),
    ]);
    client.sendBytes(new Uint8Array(4096));
    await expect(server.recv()).rejects.toBeInstanceOf(ProtocolError);
    client.close();
  });

  it('a missing authkey is a TypeError, and the default host is 127.0.0.1', async () => {
    expect(() => new Listener(['127.0.0.1', 0], {} as never)).toThrow(TypeError);
    await using listener = await Listener.listen(['127.0.0.1', 0], { authkey: 'k' });
    const [host, port] = listener.address as [string, number];
    expect(host).toBe('127.0.0.1');
    expect(port).toBeGreaterThan(0);
  });
});
