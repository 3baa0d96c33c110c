import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { registerHandleKind } from '@weft/codec';
import { AuthenticationError, Client, connectRemote, Manager } from '@weft/manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Opens a raw TCP socket, writes `bytes`, and resolves when the server closes it. */
function sendRaw(port: number, chunks: Uint8Array[], options: { end?: boolean } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => {}); // a reset is one way for the server to close it
    socket.once('connect', () => {
      for (const chunk of chunks) socket.write(chunk);
      if (options.end) socket.end();
    });
    socket.on('data', () => {});
    socket.once('close', () => resolve());
    socket.setTimeout(60_000, () => reject(new Error('the server kept a bad connection open')));
  });
}

function header(length: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, length, false);
  return bytes;
}

describe('garbage on the port closes that connection only', () => {
  let manager: Manager;
  let port: number;
  beforeAll(async () => {
    manager = await Manager.start({ address: ['127.0.0.1', 0], authkey: 'secret', handshakeTimeout: 300 });
    port = (manager.address as [string, number])[1];
  });
  afterAll(async () => {
    await manager.shutdown();
  });

  async function expectServing(): Promise<void> {
    const d = await manager.dict();
    await d.set('alive', true);
    expect(await d.get('alive')).toBe(true);
    // And a fresh socket client (not the shared-memory path) is served too.
    const conn = await Client(manager.address, { authkey: 'secret', sharedMemory: false });
    expect(conn.transportKind).toBe('socket');
    conn.close();
  }

  it('random bytes', async () => {
    await sendRaw(port, [randomBytes(4096)]);
    await expectServing();
  });

  it('a 4 GB length prefix', async () => {
    await sendRaw(port, [header(0xffffffff), randomBytes(16)]);
    await expectServing();
  });

  it('a truncated frame, then end of stream', async () => {
    await sendRaw(port, [header(100), randomBytes(10)], { end: true });
    await expectServing();
  });

  it('a handshake that stalls is dropped after the handshake timeout', async () => {
    await sendRaw(port, []);
    await expectServing();
  });

  it('a wrong authkey fails with AuthenticationError and the server keeps serving', async () => {
    await expect(Client(manager.address, { authkey: 'not the secret' })).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    await expectServing();
  });

  it('garbage after authenticating closes that connection; others go on', async () => {
    const conn = await Client(manager.address, { authkey: 'secret', sharedMemory: false });
    conn.sendBytes(randomBytes(64));
    await expect(conn.recv()).rejects.toThrow();
    await expectServing();
  });

  it('a handle of a kind the server does not know is refused, never imported', async () => {
    // Registered in this thread only: the server thread has never heard of it, and must not try to
    // `require` a package named by bytes from the network.
    class Probe {}
    registerHandleKind({
      name: 'weft-test-untrusted-package#Probe',
      type: Probe,
      toHandle: () => ({}),
      fromHandle: () => new Probe(),
    });
    const d = await manager.dict();
    const overSocket = connectRemote<Map<string, unknown>>(d.ref, {
      ownConnection: true,
      sharedMemory: false,
    });
    // Bytes that cannot be decoded are a bad frame: that connection is dropped, nothing else.
    await expect(overSocket.set('probe', new Probe())).rejects.toThrow();
    await expectServing();
  });
});
