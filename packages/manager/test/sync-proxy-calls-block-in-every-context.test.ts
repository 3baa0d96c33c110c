import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { Lock } from '@weft/lock';
import {
  BaseManager,
  ClosedError,
  connectRemote,
  Empty,
  Full,
  Manager,
  ObjectServer,
  type QueueProxy,
  RemoteError,
  type RemoteRef,
  SyncDeadlockError,
} from '@weft/manager';
import { Queue } from '@weft/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const fixture = new URL('./fixtures/sync-proxy-user.mjs', import.meta.url);

let server: ObjectServer;
beforeAll(async () => {
  server = await ObjectServer.start();
});
afterAll(async () => {
  await server.shutdown();
});

interface Refs {
  jobs: RemoteRef;
  events: RemoteRef;
  lock: RemoteRef;
}

/**
 * Runs the fixture against a served Queue pair and a Lock held here, and plays its part: releases
 * the lock once the fixture says it is acquiring, feeds a job once it waits for one.
 */
async function drive(start: (refs: Refs) => Promise<number | null>) {
  const lock = new Lock();
  const jobs = new Queue<number>();
  const events = new Queue<unknown>();
  const refs: Refs = {
    jobs: await server.serve(jobs, 'Queue'),
    events: await server.serve(events, 'Queue'),
    lock: await server.serve(lock, 'Lock'),
  };
  expect(await lock.acquire()).toBe(true);
  const exited = start(refs);
  expect(await events.get({ timeout: 60_000 })).toBe('acquiring');
  lock.release();
  expect(await events.get({ timeout: 60_000 })).toBe('waiting-for-job');
  await jobs.put(21);
  expect(await events.get({ timeout: 60_000 })).toEqual({ result: 42 });
  const { report } = (await events.get({ timeout: 60_000 })) as { report: Record<string, unknown> };
  expect(await exited).toBe(0);
  expect(report.timeout).toMatchObject({ name: 'Empty', isEmpty: true });
  expect((report.timeout as { waited: number }).waited).toBeGreaterThanOrEqual(95); // not early
  expect(report.nowait).toBe(true);
  expect(report.tryLockWhileHeld).toBe(false);
  expect(report.lockTimeout).toBe(false);
  expect(report.lockWaited).toBeGreaterThanOrEqual(95);
  expect(report.acquired).toBe(true);
  expect(report.lockedWhileHeld).toBe(true);
  expect(lock.locked()).toBe(false); // released with releaseSync()
}

describe('blocking (…Sync) proxy calls', () => {
  it('work in a worker thread', async () => {
    await drive(
      (refs) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(fixture, { workerData: refs });
          worker.once('error', reject);
          worker.once('exit', resolve);
        }),
    );
  }, 90_000);

  it('work in a child process (the pool process context: refs crossed as JSON)', async () => {
    await drive(
      (refs) =>
        new Promise((resolve, reject) => {
          const child = spawn(process.execPath, [fileURLToPath(fixture), JSON.stringify(refs)], {
            stdio: ['ignore', 'inherit', 'inherit'],
          });
          child.once('error', reject);
          child.once('exit', resolve);
        }),
    );
  }, 90_000);

  it('work on the main thread, with the same error classes as the async calls', async () => {
    const queue = new Queue<string>({ maxsize: 1 });
    const proxy = connectRemote<Queue<string>>(
      await server.serve(queue, 'Queue'),
    ) as unknown as QueueProxy<string>;
    proxy.putSync('a');
    expect(() => proxy.putSync('b', { timeout: 50 })).toThrow(Full);
    expect(proxy.qsizeSync()).toBe(1);
    expect(proxy.getSync()).toBe('a');
    const started = performance.now();
    expect(() => proxy.getSync({ timeout: 100 })).toThrow(Empty);
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
    expect(() => proxy.getNowaitSync()).toThrow(Empty);

    const lock = new Lock();
    const remote = connectRemote<Lock>(await server.serve(lock, 'Lock'));
    expect(remote.acquireSync()).toBe(true);
    expect(lock.locked()).toBe(true); // the same lock, in shared memory
    expect(remote.acquireSync({ timeout: 50 })).toBe(false);
    remote.releaseSync();
    expect(lock.locked()).toBe(false);
  });

  it("block until another thread's put arrives", async () => {
    const queue = new Queue<number>();
    const proxy = connectRemote(await server.serve(queue, 'Queue')) as unknown as QueueProxy<number>;
    // The worker puts after a pause; this thread is blocked meanwhile, so only the server (on its
    // own thread) and the worker move.
    new Worker(
      `const { workerData } = require('node:worker_threads');
       const { connectRemote } = require('@weft/manager');
       setTimeout(() => connectRemote(workerData).put(7), 50);`,
      { eval: true, workerData: proxy.ref },
    );
    expect(proxy.getSync({ timeout: 60_000 })).toBe(7);
  });

  it('manager built-in types have Sync twins (dict, list, Event, Value, Semaphore, Condition)', async () => {
    await using manager = await Manager.start();
    const d = await manager.dict<string, number>();
    d.setSync('a', 1);
    expect(d.getSync('a')).toBe(1);
    expect(d.getSync('missing', 0)).toBe(0);
    expect(d.toObjectSync()).toEqual({ a: 1 });
    expect(() => d.popSync('missing')).toThrow(RemoteError);
    const l = await manager.list([1, 2]);
    l.appendSync(3);
    expect(l.toArraySync()).toEqual([1, 2, 3]);
    const event = await manager.Event();
    expect(event.waitSync({ timeout: 20 })).toBe(false);
    event.setSync();
    expect(event.waitSync()).toBe(true);
    const value = await manager.Value('i', 5);
    value.setSync(6);
    expect(await value.get()).toBe(6);
    const sem = await manager.Semaphore(1);
    expect(sem.withLockSync(() => sem.getValueSync())).toBe(0);
    expect(sem.getValueSync()).toBe(1);
    const condition = await manager.Condition();
    condition.acquireSync();
    expect(condition.waitSync({ timeout: 20 })).toBe(false); // re-acquired after the timeout
    condition.releaseSync();
  });

  it("a thread's Sync and async calls are one owner of an RLock; other threads are not", async () => {
    await using manager = await Manager.start();
    const rlock = await manager.RLock();
    expect(rlock.acquireSync()).toBe(true);
    expect(await rlock.acquire()).toBe(true); // re-entrant across both forms
    await rlock.release();
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(
      `const { workerData } = require('node:worker_threads');
       const { connectRemote } = require('@weft/manager');
       const rlock = connectRemote(workerData.ref);
       workerData.port.postMessage(rlock.acquireSync({ blocking: false }));`,
      { eval: true, workerData: { ref: rlock.ref, port: port2 }, transferList: [port2] },
    );
    expect(await new Promise((resolve) => port1.once('message', resolve))).toBe(false); // held here
    port1.close();
    await new Promise((resolve) => worker.once('exit', resolve));
    rlock.releaseSync(); // released by the Sync form of the owner that took it with the async one
    await expect(rlock.release()).rejects.toMatchObject({ name: 'RuntimeError' }); // no longer held
  });

  it('a generic proxy turns nameSync into a blocking call of the remote name', async () => {
    const counter = {
      n: 0,
      async bump(by: number) {
        this.n += by;
        return this.n;
      },
    };
    const ref = await server.serve(counter);
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(
      `const { workerData } = require('node:worker_threads');
       const { connectRemote } = require('@weft/manager');
       const counter = connectRemote(workerData.ref);
       workerData.port.postMessage([counter.bumpSync(2), counter.bumpSync(3)]);`,
      { eval: true, workerData: { ref, port: port2 }, transferList: [port2] },
    );
    const results = await new Promise((resolve) => port1.once('message', resolve));
    port1.close();
    await new Promise((resolve) => worker.once('exit', resolve));
    expect(results).toEqual([2, 5]); // the calls were relayed to this thread, which was free
  });

  it('refuse an AbortSignal (nothing could fire it while the thread is blocked)', async () => {
    const proxy = connectRemote(await server.serve(new Queue(), 'Queue')) as unknown as QueueProxy;
    expect(() => proxy.getSync({ signal: new AbortController().signal } as never)).toThrow(TypeError);
  });
});

describe('a blocking call that would need its own thread', () => {
  it('throws SyncDeadlockError for an object relayed to this thread, without calling it', async () => {
    const counter = {
      n: 0,
      bump() {
        return ++this.n;
      },
    };
    const proxy = connectRemote<typeof counter>(await server.serve(counter));
    expect(() => proxy.bumpSync()).toThrow(SyncDeadlockError);
    expect(counter.n).toBe(0);
    expect(await proxy.bump()).toBe(1); // the async form is fine
  });

  it('throws SyncDeadlockError when the server runs in this thread (serveForever)', async () => {
    const queue = new Queue<number>();
    const owner = new BaseManager({ address: ['127.0.0.1', 0] });
    owner.register('queue', () => queue);
    const local = owner.getServer();
    const serving = local.serveForever();
    await local.ready();
    const client = new BaseManager({ address: local.address, authkey: owner.authkey });
    client.register('queue');
    await client.connect();
    const proxy = await client.get<Queue<number>>('queue');
    expect(() => proxy.putSync(1)).toThrow(/served by this very thread/);
    expect(queue.qsize()).toBe(0);
    await proxy.put(1);
    expect(queue.qsize()).toBe(1);
    await client.shutdown();
    await owner.shutdown();
    await serving;
  });

  it('a shut-down server makes a Sync call throw ClosedError', async () => {
    const other = await ObjectServer.start();
    const proxy = connectRemote(await other.serve(new Queue(), 'Queue')) as unknown as QueueProxy;
    proxy.putSync(1);
    await other.shutdown();
    expect(() => proxy.getSync()).toThrow(ClosedError);
  });
});
