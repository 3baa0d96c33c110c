import { Worker } from 'node:worker_threads';
import { encode } from '@weft/codec';
import { Manager } from '@weft/manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const fixture = new URL('./fixtures/append-worker.mjs', import.meta.url);

function runWorker(workerData: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(fixture, { workerData });
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
  });
}

describe('proxies shared by ten worker threads (the notes dict/list example)', () => {
  let manager: Manager;
  beforeAll(async () => {
    manager = await Manager.start();
  });
  afterAll(async () => {
    await manager.shutdown();
  });

  it('every worker id is appended and set, and locked increments are never lost', async () => {
    const d = await manager.dict<string, number>();
    const l = await manager.list<number>([0, 1, 2, 3, 4].map((n) => -n - 1));
    const lock = await manager.Lock();
    const rounds = 20;
    await Promise.all(
      Array.from({ length: 10 }, (_, id) =>
        runWorker({ dictRef: d.ref, listRef: l.ref, lockRef: lock.ref, id, rounds }),
      ),
    );
    const items = await l.toArray();
    expect(items.slice(0, 5)).toEqual([-1, -2, -3, -4, -5]);
    expect(items.slice(5).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const object = await d.toObject();
    for (let id = 0; id < 10; id++) expect(object[`worker-${id}`]).toBe(id);
    expect(await d.get('count')).toBe(10 * rounds);
    expect(await d.size()).toBe(11);
  });

  it('proxies encoded with @weft/codec arrive in a worker as working proxies', async () => {
    const d = await manager.dict<string, number>();
    const l = await manager.list<number>();
    await Promise.all(
      Array.from(
        { length: 10 },
        (_, id) =>
          new Promise<void>((resolve, reject) => {
            const worker = new Worker(new URL('./fixtures/codec-proxy-worker.mjs', import.meta.url), {
              workerData: { packed: encode({ d, l, id }) },
            });
            worker.once('error', reject);
            worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
          }),
      ),
    );
    expect((await l.toArray()).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await d.size()).toBe(10);
    // And a proxy sent through the manager itself comes back as a proxy.
    const holder = await manager.dict<string, unknown>();
    await holder.set('list', l);
    const back = (await holder.get('list')) as typeof l;
    expect(await back.length()).toBe(10);
  });

  it('a proxy in the main thread goes through shared memory, not the socket', async () => {
    const d = await manager.dict();
    expect(await d.transportKind()).toBe('shared-memory');
  });
});
