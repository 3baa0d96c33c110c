import { BrokenBarrierError, Empty, Full, Manager, RemoteError } from '@weft/manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let manager: Manager;
beforeAll(async () => {
  manager = await Manager.start();
});
afterAll(async () => {
  await manager.shutdown();
});

describe('dict, list, Namespace, Value, Array', () => {
  it('dict: get/set/delete/has/keys/values/items/size/toObject/pop', async () => {
    const d = await manager.dict<string, number>({ a: 1 });
    await d.set('b', 2);
    expect(await d.get('a')).toBe(1);
    expect(await d.get('zz')).toBeUndefined();
    expect(await d.get('zz', 0)).toBe(0);
    expect(await d.has('b')).toBe(true);
    expect(await d.keys()).toEqual(['a', 'b']);
    expect(await d.values()).toEqual([1, 2]);
    expect(await d.items()).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(await d.size()).toBe(2);
    expect(await d.toObject()).toEqual({ a: 1, b: 2 });
    expect(await d.delete('a')).toBe(true);
    expect(await d.pop('b')).toBe(2);
    await expect(d.pop('b')).rejects.toMatchObject({ name: 'KeyError' });
  });

  it('a nested value changed in place is not written back (as in Python)', async () => {
    const d = await manager.dict<string, number[]>();
    await d.set('xs', [1]);
    const xs = (await d.get('xs'))!;
    xs.push(2); // changes a local copy only
    expect(await d.get('xs')).toEqual([1]);
    await d.set('xs', xs); // write it back explicitly
    expect(await d.get('xs')).toEqual([1, 2]);
  });

  it('list: get/set with negative indexes, append/extend/length/toArray, IndexError', async () => {
    const l = await manager.list([0, 1, 2, 3, 4]);
    await l.append(5);
    await l.extend([6, 7]);
    expect(await l.length()).toBe(8);
    expect(await l.get(-1)).toBe(7);
    await l.set(0, 100);
    expect(await l.toArray()).toEqual([100, 1, 2, 3, 4, 5, 6, 7]);
    await expect(l.get(99)).rejects.toBeInstanceOf(RemoteError);
    await expect(l.get(99)).rejects.toMatchObject({ name: 'IndexError' });
  });

  it('Namespace: set/get attributes, AttributeError for a missing one', async () => {
    const ns = await manager.Namespace();
    await ns.set('x', 10);
    expect(await ns.get('x')).toBe(10);
    expect(await ns.toObject()).toEqual({ x: 10 });
    await expect(ns.get('y')).rejects.toMatchObject({ name: 'AttributeError' });
  });

  it('Value and Array', async () => {
    const v = await manager.Value('d', 0.0);
    await v.set(2.5);
    expect(await v.get()).toBe(2.5);
    const a = await manager.Array('i', [0, 1, 2]);
    await a.set(1, -1);
    expect(await a.toArray()).toEqual([0, -1, 2]);
    await expect(a.set(0, 2 ** 40)).rejects.toMatchObject({ name: 'TypeError' });
  });
});

describe('Queue and JoinableQueue', () => {
  it('put/get in order, Empty and Full, timeouts, qsize/empty/full', async () => {
    const q = await manager.Queue<number>({ maxsize: 2 });
    await q.put(1);
    await q.put(2);
    expect(await q.full()).toBe(true);
    await expect(q.putNowait(3)).rejects.toBeInstanceOf(Full);
    await expect(q.put(3, { timeout: 20 })).rejects.toBeInstanceOf(Full);
    expect(await q.qsize()).toBe(2);
    expect(await q.get()).toBe(1);
    expect(await q.get()).toBe(2);
    expect(await q.empty()).toBe(true);
    await expect(q.getNowait()).rejects.toBeInstanceOf(Empty);
    await expect(q.get({ timeout: 20 })).rejects.toBeInstanceOf(Empty);
  });

  it('a get waiting in the server does not block a put from the same thread', async () => {
    const q = await manager.Queue<string>();
    const waiting = q.get();
    await q.put('x');
    expect(await waiting).toBe('x');
  });

  it('an aborted get stops waiting in the server (the item goes to the next get)', async () => {
    const q = await manager.Queue<string>();
    const controller = new AbortController();
    const waiting = q.get({ signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    await q.put('kept');
    expect(await q.get({ timeout: 60_000 })).toBe('kept');
  });

  it('JoinableQueue: join resolves when every item is done', async () => {
    const q = await manager.JoinableQueue<number>();
    await q.put(1);
    await q.put(2);
    let joined = false;
    const join = q.join().then(() => {
      joined = true;
    });
    await q.get();
    await q.taskDone();
    expect(joined).toBe(false);
    await q.get();
    await q.taskDone();
    await join;
    expect(joined).toBe(true);
    await expect(q.taskDone()).rejects.toMatchObject({ name: 'ValueError' });
  });
});

describe('locks and friends', () => {
  it('Lock: exclusive, non-blocking and timed acquire, release of an unlocked lock fails', async () => {
    const lock = await manager.Lock();
    expect(await lock.acquire()).toBe(true);
    expect(await lock.acquire({ blocking: false })).toBe(false);
    expect(await lock.acquire({ timeout: 20 })).toBe(false);
    await lock.release();
    expect(await lock.locked()).toBe(false);
    await expect(lock.release()).rejects.toMatchObject({ name: 'RuntimeError' });
  });

  it('RLock: re-entrant for its owner', async () => {
    const rlock = await manager.RLock();
    expect(await rlock.acquire()).toBe(true);
    expect(await rlock.acquire()).toBe(true);
    await rlock.release();
    await rlock.release();
    await expect(rlock.release()).rejects.toMatchObject({ name: 'RuntimeError' });
  });

  it('Semaphore and BoundedSemaphore', async () => {
    const s = await manager.Semaphore(2);
    expect(await s.acquire()).toBe(true);
    expect(await s.acquire()).toBe(true);
    expect(await s.acquire({ blocking: false })).toBe(false);
    await s.release(2);
    expect(await s.getValue()).toBe(2);
    const b = await manager.BoundedSemaphore(1);
    await expect(b.release()).rejects.toMatchObject({ name: 'ValueError' });
  });

  it('Event: wait times out unset, resolves once set', async () => {
    const e = await manager.Event();
    expect(await e.wait({ timeout: 20 })).toBe(false);
    const waiting = e.wait();
    await e.set();
    expect(await waiting).toBe(true);
    expect(await e.isSet()).toBe(true);
  });

  it('Condition: wait releases the lock, notify wakes the waiter', async () => {
    const c = await manager.Condition();
    await c.acquire();
    await expect(c.wait({ timeout: 20 })).resolves.toBe(false);
    await c.release();
    await expect(c.notify()).rejects.toMatchObject({ name: 'RuntimeError' });
  });

  it('Barrier: parties meet, a timeout breaks it', async () => {
    const barrier = await manager.Barrier(2);
    const indexes = await Promise.all([barrier.wait(), barrier.wait()]);
    expect(indexes.sort()).toEqual([0, 1]);
    await expect(barrier.wait({ timeout: 20 })).rejects.toBeInstanceOf(BrokenBarrierError);
    expect(await barrier.broken()).toBe(true);
    await barrier.reset();
    expect(await barrier.broken()).toBe(false);
  });
});
