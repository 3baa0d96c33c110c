import { Worker } from 'node:worker_threads';
import { Client, ClosedError, EOFError, Listener, Manager, ProtocolError } from '@weft/manager';
import { describe, expect, it } from 'vitest';

// The shared-memory ring holds 128 KiB each way: these sizes cross its end in every way (a length
// prefix split by the wrap, a payload split by it) and include frames that only stream through.
const RING = 128 * 1024;
const SIZES = [0, 1, 3, 4, 5, 63, 64, 65, 1000, 4093, RING - 4, RING - 3, RING + 1, 70_000, 300_000, 7];

function message(size: number, seed: number): Uint8Array {
  return new Uint8Array(size).map((_, i) => (i * 31 + seed) % 251);
}

describe.each([
  ['a socket', false],
  ['shared memory', true],
])('frames over %s', (_, sharedMemory) => {
  it('messages of every size, sent in one go, arrive whole and in order, many times round the ring', async () => {
    await using listener = await Listener.listen(['127.0.0.1', 0], { authkey: 'k', sharedMemory });
    const [server, client] = await Promise.all([
      listener.accept(),
      Client(listener.address, { authkey: 'k', sharedMemory }),
    ]);
    expect(client.transportKind).toBe(sharedMemory ? 'shared-memory' : 'socket');
    for (let round = 0; round < 4; round++) {
      // All in one tick: the socket batches them, the ring fills and drains while they stream.
      for (const [i, size] of SIZES.entries()) client.sendBytes(message(size, round * 100 + i));
      for (const [i, size] of SIZES.entries()) {
        const received = await server.recvBytes();
        expect(received.byteLength).toBe(size);
        expect(Buffer.compare(received, message(size, round * 100 + i))).toBe(0);
      }
      // Small values interleaved with the bytes keep their order both ways.
      for (let i = 0; i < 50; i++) server.send([round, i, 'x'.repeat(i)]);
      for (let i = 0; i < 50; i++) expect(await client.recv()).toEqual([round, i, 'x'.repeat(i)]);
    }
    client.close();
    server.close();
  });

  it('length prefixes and payloads cut in two by the end of the ring arrive whole', async () => {
    await using listener = await Listener.listen(['127.0.0.1', 0], { authkey: 'k', sharedMemory });
    const [server, client] = await Promise.all([
      listener.accept(),
      Client(listener.address, { authkey: 'k', sharedMemory }),
    ]);
    // One frame at a time, so each finds the ring empty and is written whole; a filler frame first
    // moves the ring's write position to `before` bytes short of the end.
    let offset = 0; // where the ring pair's client -> server write position stands
    const exchange = async (size: number, seed: number) => {
      client.sendBytes(message(size, seed));
      const received = await server.recvBytes();
      expect(received.byteLength).toBe(size);
      expect(Buffer.compare(received, message(size, seed))).toBe(0);
      offset = (offset + 4 + size) % RING;
    };
    for (const before of [1, 2, 3, 4, 5, 6, 9, 40]) {
      const filler = (RING - before - offset - 4 + 2 * RING) % RING;
      await exchange(filler, before);
      expect(offset).toBe(RING - before);
      await exchange(before + 7, before + 1); // its header and/or payload straddle the end
    }
    client.close();
    server.close();
  });

  it('what is sent just before close() still arrives, then EOFError', async () => {
    await using listener = await Listener.listen(['127.0.0.1', 0], { authkey: 'k', sharedMemory });
    const [server, client] = await Promise.all([
      listener.accept(),
      Client(listener.address, { authkey: 'k', sharedMemory }),
    ]);
    for (let i = 0; i < 20; i++) client.send(i);
    client.close(); // same tick as the sends
    for (let i = 0; i < 20; i++) expect(await server.recv()).toBe(i);
    await expect(server.recv()).rejects.toBeInstanceOf(EOFError);
    server.close();
  });

  it('a recv waiting when its own end closes rejects with ClosedError', async () => {
    await using listener = await Listener.listen(['127.0.0.1', 0], { authkey: 'k', sharedMemory });
    const [server, client] = await Promise.all([
      listener.accept(),
      Client(listener.address, { authkey: 'k', sharedMemory }),
    ]);
    const waiting = client.recv();
    const failed = expect(waiting).rejects.toBeInstanceOf(ClosedError);
    client.close();
    await failed;
    await expect(client.recv()).rejects.toBeInstanceOf(ClosedError);
    server.close();
  });

  it.each([
    ['fits the ring', 4096],
    ['streams through the ring', 300_000],
  ])('a frame over maxFrameSize that %s closes the connection with ProtocolError', async (_, size) => {
    await using listener = await Listener.listen(['127.0.0.1', 0], {
      authkey: 'k',
      maxFrameSize: 1024,
      sharedMemory,
    });
    const [server, client] = await Promise.all([
      listener.accept(),
      Client(listener.address, { authkey: 'k', sharedMemory }),
    ]);
    client.send('fine');
    expect(await server.recv()).toBe('fine');
    client.sendBytes(new Uint8Array(size));
    await expect(server.recv()).rejects.toBeInstanceOf(ProtocolError);
    client.close();
  });
});

describe('proxy calls across threads', () => {
  it('keep answering through bursts, pauses (threads parked) and calls spread out in time', async () => {
    await using manager = await Manager.start();
    const d = await manager.dict<string, number>();
    const worker = new Worker(new URL('./fixtures/burst-worker.mjs', import.meta.url), {
      workerData: d.ref,
    });
    const last = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    expect(last).toBe(4199);
    expect(await d.get('n')).toBe(4199);
    expect(await d.get('a4')).toBe(4);
    expect(await d.size()).toBe(11);
    await worker.terminate();
  });
});
