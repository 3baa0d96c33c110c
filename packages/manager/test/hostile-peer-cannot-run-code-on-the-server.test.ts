/**
 * An authenticated peer on a socket cannot make the server run code or reach its memory: a
 * PriorityQueue handle whose comparator source has side effects, naming a buffer the server thread
 * already knows, must be refused before anything of it runs. Only that connection goes.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from '@weft/codec';
import { Lock } from '@weft/lock';
import { Client, connectRemote, type DictProxy, EOFError, Manager } from '@weft/manager';
import { PriorityQueue } from '@weft/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CALL = 0;
const SERVER_OBJECT = 0;

describe('a peer on a socket cannot run code in the server', () => {
  let manager: Manager;
  let dir: string;
  beforeAll(async () => {
    manager = await Manager.start({ address: ['127.0.0.1', 0], authkey: 'secret' });
    dir = mkdtempSync(join(tmpdir(), 'weft-hostile-'));
  });
  afterAll(async () => {
    await manager.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a PriorityQueue handle with a comparator built from source is refused, its code never runs', async () => {
    const marker = join(dir, 'pwned');
    const compare = (a: number, b: number) => a - b;
    // What a hostile peer writes as "source": an expression that acts when it is evaluated.
    compare.toString = () =>
      `(process.getBuiltinModule('node:fs').writeFileSync(${JSON.stringify(marker)}, 'pwned'), (a, b) => a - b)`;
    const queue = new PriorityQueue<number>({ compare });
    // Encoding here publishes the ring's buffer id to every thread of this process, the server's too:
    // the id the attacker would have learnt.
    const frame = encode([CALL, 1, SERVER_OBJECT, 'ping', [queue]]);
    const conn = await Client(manager.address, { authkey: 'secret', sharedMemory: false });
    expect(conn.transportKind).toBe('socket');
    conn.sendBytes(frame);
    await expect(conn.recv()).rejects.toBeInstanceOf(EOFError);
    conn.close();
    expect(existsSync(marker)).toBe(false);
    // The server is still there for everyone else.
    const d = await manager.dict();
    await d.set('alive', true);
    expect(await d.get('alive')).toBe(true);
  });

  it('the transport decides: a thread of this process passes a Lock by handle, a socket peer cannot', async () => {
    const lock = new Lock();
    const local = await manager.dict<string, unknown>();
    expect(await local.transportKind()).toBe('shared-memory');
    await local.set('lock', lock);
    const back = (await local.get('lock')) as Lock;
    expect(back).toBeInstanceOf(Lock);
    expect(await lock.acquire()).toBe(true);
    expect(back.locked()).toBe(true); // the same memory
    lock.release();

    const remote = connectRemote(local.ref, { sharedMemory: false, ownConnection: true }) as DictProxy<
      string,
      unknown
    >;
    expect(await remote.transportKind()).toBe('socket');
    await remote.set('plain', { n: 1 });
    await expect(remote.set('lock', new Lock())).rejects.toThrow(/closed|disconnected/i);
    remote.close();
    expect(await local.get('plain')).toEqual({ n: 1 });
  });
});
