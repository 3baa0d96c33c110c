import { Empty, Full, Queue, SimpleQueue, ValueError } from '@weft/queue';
import { describe, expect, it } from 'vitest';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('Queue method tour (the notes s3-06)', () => {
  it('qsize, empty, full follow puts and gets; maxsize may be given as a number like Queue(5)', async () => {
    const queue = new Queue<number>(3);
    expect(queue.maxsize).toBe(3);
    expect([queue.qsize(), queue.empty(), queue.full()]).toEqual([0, true, false]);
    await queue.put(1);
    queue.putSync(2);
    queue.putNowait(3);
    expect([queue.qsize(), queue.empty(), queue.full()]).toEqual([3, false, true]);
    expect([await queue.get(), queue.getSync(), queue.getNowait()]).toEqual([1, 2, 3]);
    expect([queue.qsize(), queue.empty(), queue.full()]).toEqual([0, true, false]);
  });

  it('maxsize 0 or below is unbounded, never full', () => {
    for (const queue of [
      new Queue(),
      new Queue({ maxsize: 0 }),
      new Queue({ maxsize: -1 }),
      new SimpleQueue(),
    ]) {
      for (let i = 0; i < 1000; i++) queue.putNowait(i);
      expect(queue.full()).toBe(false);
      expect(queue.qsize()).toBe(1000);
    }
  });

  it('getNowait, get({ block: false }) and getSync({ block: false }) raise Empty at once', async () => {
    const queue = new Queue();
    expect(() => queue.getNowait()).toThrow(Empty);
    expect(() => queue.getSync({ block: false })).toThrow(Empty);
    expect(await rejection(queue.get({ block: false }))).toBeInstanceOf(Empty);
    expect(await rejection(queue.get({ block: false, timeout: 10_000 }))).toBeInstanceOf(Empty);
  });

  it('putNowait, put({ block: false }) and putSync({ block: false }) raise Full at once', async () => {
    const queue = new Queue({ maxsize: 1 });
    queue.putNowait('a');
    expect(() => queue.putNowait('b')).toThrow(Full);
    expect(() => queue.putSync('b', { block: false })).toThrow(Full);
    expect(await rejection(queue.put('b', { block: false }))).toBeInstanceOf(Full);
    expect(queue.qsize()).toBe(1);
    expect(queue.getNowait()).toBe('a');
  });

  it('get with a timeout raises Empty, not before the timeout', async () => {
    const queue = new Queue();
    let start = performance.now();
    expect(await rejection(queue.get({ timeout: 60 }))).toBeInstanceOf(Empty);
    expect(performance.now() - start).toBeGreaterThanOrEqual(60);
    start = performance.now();
    expect(() => queue.getSync({ timeout: 60 })).toThrow(Empty);
    expect(performance.now() - start).toBeGreaterThanOrEqual(60);
    expect(() => queue.getSync({ timeout: 0 })).toThrow(Empty);
  });

  it('put with a timeout on a full queue raises Full, not before the timeout, and puts nothing', async () => {
    const queue = new Queue({ maxsize: 1 });
    queue.putSync(1);
    let start = performance.now();
    expect(await rejection(queue.put(2, { timeout: 60 }))).toBeInstanceOf(Full);
    expect(performance.now() - start).toBeGreaterThanOrEqual(60);
    start = performance.now();
    expect(() => queue.putSync(2, { timeout: 60 })).toThrow(Full);
    expect(performance.now() - start).toBeGreaterThanOrEqual(60);
    expect(queue.qsize()).toBe(1);
  });

  it('a get waiting with a timeout takes an item put before the timeout', async () => {
    const queue = new Queue<string>();
    const pending = queue.get({ timeout: 30_000 });
    setTimeout(() => queue.putSync('late'), 20);
    expect(await pending).toBe('late');
  });

  it('a put waiting for room completes when a get makes room', async () => {
    const queue = new Queue<number>({ maxsize: 1 });
    queue.putSync(1);
    const pending = queue.put(2, { timeout: 30_000 });
    setTimeout(() => queue.getSync(), 20);
    await pending;
    expect(queue.getSync()).toBe(2);
  });

  it('rejects a negative timeout and a non-integer maxsize with ValueError', async () => {
    const queue = new Queue();
    expect(() => queue.getSync({ timeout: -1 })).toThrow(ValueError);
    expect(await rejection(queue.get({ timeout: -1 }))).toBeInstanceOf(ValueError);
    expect(await rejection(queue.put(1, { timeout: Number.NaN }))).toBeInstanceOf(ValueError);
    expect(() => new Queue({ maxsize: 1.5 })).toThrow(ValueError);
    // Python ignores the timeout when block is false.
    expect(() => queue.getSync({ block: false, timeout: -1 })).toThrow(Empty);
  });

  it('an aborted get rejects with the reason and takes nothing; the item goes to the next get', async () => {
    const queue = new Queue<string>();
    const controller = new AbortController();
    const pending = queue.get({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 20);
    expect(((await rejection(pending)) as Error).message).toBe('stop');
    queue.putSync('kept');
    expect(await queue.get({ timeout: 30_000 })).toBe('kept');
    const aborted = AbortSignal.abort(new Error('already'));
    expect(((await rejection(queue.get({ signal: aborted }))) as Error).message).toBe('already');
  });

  it('an aborted put on a full queue rejects with the reason and puts nothing', async () => {
    const queue = new Queue<number>({ maxsize: 1 });
    queue.putSync(1);
    const controller = new AbortController();
    const pending = queue.put(2, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 20);
    expect(((await rejection(pending)) as Error).message).toBe('stop');
    expect(queue.qsize()).toBe(1);
    expect(queue.getSync()).toBe(1);
    expect(() => queue.getNowait()).toThrow(Empty);
  });

  it('carries structured-clone values: nested arrays, objects, Maps, typed arrays, null', async () => {
    const queue = new Queue();
    const values = [
      [42, null, 'hello'],
      { a: { b: [1, 2] } },
      new Map([[1, 'one']]),
      new Uint8Array([1, 2, 3]),
      null,
      '',
      0,
    ];
    for (const value of values) queue.putSync(value);
    for (const value of values) expect(await queue.get()).toEqual(value);
  });

  it('rejects a value that cannot cross threads and puts nothing', () => {
    const queue = new Queue();
    expect(() => queue.putSync({ f: () => 1 })).toThrow();
    expect(queue.qsize()).toBe(0);
  });
});
