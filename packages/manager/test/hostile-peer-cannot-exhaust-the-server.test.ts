/**
 * One client must not take the host's memory or its connections: sizes asked for, calls in flight,
 * unread answers, the heap and the number of connections are capped (`limits`), refused with
 * MemoryError / ClosedError, and the server keeps serving everyone else.
 */
import { decode, encode } from '@weft/codec';
import { Client, ClosedError, DEFAULT_LIMITS, Manager, MemoryError } from '@weft/manager';
import { describe, expect, it } from 'vitest';
import { RawPeer } from './hostile-wire.js';

async function expectServing(manager: Manager): Promise<void> {
  const d = await manager.dict();
  await d.set('alive', 1);
  expect(await d.get('alive')).toBe(1);
}

describe('a client cannot exhaust the server', () => {
  it("Array('d', 4e8) fails with MemoryError instead of aborting the host", async () => {
    await using manager = await Manager.start();
    const error = await manager.Array('d', 4e8).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MemoryError);
    expect((error as Error).message).toMatch(/400000000 items .* over this server's limit of 67108864 bytes/);
    await expectServing(manager);
    expect(await (await manager.Array('i', 1000)).length()).toBe(1000);
  });

  it('limits.maxObjectBytes is the server owner’s to set', async () => {
    expect(DEFAULT_LIMITS.maxObjectBytes).toBe(64 * 1024 * 1024);
    await using manager = await Manager.start({ limits: { maxObjectBytes: 800 } });
    expect(await (await manager.Array('d', 100)).length()).toBe(100);
    await expect(manager.Array('d', 101)).rejects.toBeInstanceOf(MemoryError);
    await expect(manager.Array('d', -1)).rejects.toBeInstanceOf(TypeError);
    expect(() => new Manager({ limits: { maxObjectBytes: -1 } })).toThrow(TypeError);
  });

  it('calls in flight on one connection past maxConnectionBytes fail with MemoryError', async () => {
    await using manager = await Manager.start({ limits: { maxConnectionBytes: 64 * 1024 } });
    const q = await manager.Queue<string>({ maxsize: 1 });
    await q.put('first');
    const item = 'x'.repeat(20 * 1024);
    // A full queue: each put waits in the server, holding its 20 KB frame.
    const waiting = [q.put(item), q.put(item), q.put(item)];
    await expect(q.put(item)).rejects.toBeInstanceOf(MemoryError);
    for (let i = 0; i < 4; i++) expect((await q.get({ timeout: 10_000 })).length).toBeGreaterThan(0);
    await Promise.all(waiting);
    await q.put(item); // room again: the connection's budget was given back
    await expectServing(manager);
  });

  it('over the heap line, calls carrying data are refused and small ones still run', async () => {
    await using manager = await Manager.start({ limits: { maxHeapFraction: 0 } });
    const d = await manager.dict();
    await d.set('k', 1); // small
    await expect(d.set('big', 'y'.repeat(256))).rejects.toBeInstanceOf(MemoryError);
    expect(await d.get('k')).toBe(1);
    expect(await d.delete('k')).toBe(true);
  });

  it('a peer that never reads its answers is disconnected, not buffered for', async () => {
    await using manager = await Manager.start({
      address: ['127.0.0.1', 0],
      authkey: 'secret',
      limits: { maxConnectionBytes: 1024 * 1024 },
    });
    const list = await manager.list(Array.from({ length: 1000 }, (_, i) => `item ${i} `.repeat(10)));
    const peer = await RawPeer.authenticated(manager.address as [string, number], 'secret');
    peer.socket.pause(); // reads nothing for now
    for (let callId = 1; callId <= 200; callId++) peer.send(encode([0, callId, list.ref.id, 'toArray', []]));
    peer.send(encode([0, 201, 0, 'ping', []])); // answered only if the server kept buffering for us
    // 200 answers of ~100 KB: far more than the socket buffers take, so the server's unread backlog
    // passes 1 MiB as it answers, whenever we read. Then we read what it sent before it gave up.
    await new Promise((resolve) => setTimeout(resolve, 300));
    peer.socket.resume();
    const answers: number[] = [];
    for (;;) {
      const next = await peer.next(20_000).catch(() => undefined);
      if (next === undefined) break;
      answers.push((decode(next) as [number, number])[1]);
    }
    expect(peer.socket.destroyed).toBe(true);
    expect(answers.length).toBeLessThan(200);
    expect(answers).not.toContain(201);
    await expectServing(manager);
  });

  it('connections past maxConnections are refused with a reason, and room comes back', async () => {
    await using manager = await Manager.start({
      address: ['127.0.0.1', 0],
      authkey: 'secret',
      limits: { maxConnections: 3 },
    });
    const idle = await Promise.all([0, 1, 2].map(() => RawPeer.connect(manager.address)));
    for (const peer of idle) await peer.next(5000); // each got its challenge: all three are counted
    const refused = await Client(manager.address, { authkey: 'secret' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ClosedError);
    expect((refused as Error).message).toMatch(/limit of 3 connections \(limits\.maxConnections\)/);
    for (const peer of idle) peer.close();
    await Promise.all(idle.map((peer) => peer.closed));
    // The server counts a socket gone once it sees the close: allow it a moment, bounded.
    let conn: Awaited<ReturnType<typeof Client>> | undefined;
    for (let attempt = 0; attempt < 50 && conn === undefined; attempt++) {
      conn = await Client(manager.address, { authkey: 'secret', sharedMemory: false }).catch(async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return undefined;
      });
    }
    expect(conn).toBeDefined();
    conn!.send([0, 1, 0, 'ping', []]);
    expect(await conn!.recv()).toEqual([2, 1, 'pong']);
    conn!.close();
  });

  it('a raw peer gets typed errors back for refused calls, then keeps its connection', async () => {
    await using manager = await Manager.start({ address: ['127.0.0.1', 0], authkey: 'secret' });
    const peer = await RawPeer.authenticated(manager.address as [string, number], 'secret');
    peer.send(encode([0, 1, 0, 'create', ['Array', ['d', 4e8]]]));
    const [type, callId, error] = decode(await peer.next(10_000)) as [number, number, { name: string }];
    expect([type, callId, error.name]).toEqual([3, 1, 'MemoryError']);
    peer.send(encode([0, 2, 0, 'ping', []]));
    expect(decode(await peer.next(10_000))).toEqual([2, 2, 'pong']);
    peer.close();
  });
});
