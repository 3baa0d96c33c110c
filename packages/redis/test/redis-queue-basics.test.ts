import { Empty, Full, QueueClosed, ValueError } from '@weft/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisAuthError, RedisQueue } from '../src/index.js';
import { type RunningRedis, startRedis } from './redis-server.js';

let server: RunningRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server?.dispose();
});

let counter = 0;
const fresh = (options: ConstructorParameters<typeof RedisQueue>[1] = {}) =>
  new RedisQueue<unknown>(`basics-${counter++}`, { redis: server.url, ...options });

describe('RedisQueue against a real redis-server', () => {
  it('puts and gets in FIFO order, with codec data round-tripping', async () => {
    const q = fresh();
    const items = [1, 'two', { three: [3n, new Map([[4, 'four']])] }, new Uint8Array([5, 6]), null];
    for (const item of items) await q.put(item);
    expect(await q.qsize()).toBe(items.length);
    const got = [];
    for (let i = 0; i < items.length; i++) got.push(await q.get({ timeout: 2000 }));
    expect(got).toEqual(items);
    expect(await q.empty()).toBe(true);
    await q.close();
  }, 15_000);

  it('getNowait raises Empty; get with timeout raises Empty after waiting', async () => {
    const q = fresh();
    await expect(q.getNowait()).rejects.toBeInstanceOf(Empty);
    const started = Date.now();
    await expect(q.get({ timeout: 150 })).rejects.toBeInstanceOf(Empty);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await q.close();
  }, 15_000);

  it('a blocked get is woken by a put from another handle', async () => {
    const a = fresh();
    const b = new RedisQueue<number>(a.name, { redis: server.url });
    const got = a.get({ timeout: 5000 });
    await new Promise((r) => setTimeout(r, 50));
    await b.put(42);
    expect(await got).toBe(42);
    await a.close();
    await b.close();
  }, 15_000);

  it('maxsize: putNowait raises Full, a timed put raises Full, a blocked put goes through once room is made', async () => {
    const q = fresh({ maxsize: 2 });
    await q.put(1);
    await q.put(2);
    expect(await q.full()).toBe(true);
    await expect(q.putNowait(3)).rejects.toBeInstanceOf(Full);
    await expect(q.put(3, { timeout: 50 })).rejects.toBeInstanceOf(Full);
    const blocked = q.put(3, { timeout: 5000 });
    expect(await q.get()).toBe(1);
    await blocked;
    expect(await q.qsize()).toBe(2);
    await q.close();
  }, 15_000);

  it('taskDone/join: join waits for every item to be marked done; too many taskDone raises ValueError', async () => {
    const q = fresh();
    for (let i = 0; i < 5; i++) await q.put(i);
    expect(await q.join({ timeout: 50 })).toBe(false);
    for (let i = 0; i < 5; i++) await q.get();
    expect(await q.unfinishedTasks()).toBe(5);
    const joined = q.join({ timeout: 5000 });
    for (let i = 0; i < 5; i++) await q.taskDone();
    expect(await joined).toBe(true);
    await expect(q.taskDone()).rejects.toBeInstanceOf(ValueError);
    await q.close();
  }, 15_000);

  it('an item taken and never marked done is handed out again after the visibility timeout', async () => {
    const a = fresh({ visibilityTimeout: 300 });
    const b = new RedisQueue<string>(a.name, { redis: server.url, visibilityTimeout: 300 });
    await a.put('x');
    expect(await a.get()).toBe('x');
    await expect(b.getNowait()).rejects.toBeInstanceOf(Empty);
    expect(await b.get({ timeout: 5000 })).toBe('x');
    await b.taskDone();
    expect(await b.join({ timeout: 1000 })).toBe(true);
    await a.close();
    await b.close();
  }, 15_000);

  it('an aborted get rejects with the reason and loses nothing', async () => {
    const q = fresh({ visibilityTimeout: 200 });
    const controller = new AbortController();
    const got = q.get({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 50);
    await expect(got).rejects.toThrow('stop');
    await q.put('kept');
    expect(await q.get({ timeout: 5000 })).toBe('kept');
    await q.close();
  }, 15_000);

  it('methods after close() raise QueueClosed', async () => {
    const q = fresh();
    await q.close();
    await expect(q.put(1)).rejects.toBeInstanceOf(QueueClosed);
    await expect(q.get()).rejects.toBeInstanceOf(QueueClosed);
  }, 15_000);

  it('a wrong password is refused with RedisAuthError naming the server', async () => {
    const secured = await startRedis({ password: 'right-secret' });
    try {
      const q = new RedisQueue('auth', { redis: `redis://:wrong@127.0.0.1:${secured.port}` });
      const error = await q.ready().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisAuthError);
      expect((error as Error).message).toContain(`127.0.0.1:${secured.port}`);
      expect((error as Error).message).not.toContain('wrong');
      await q.close();
      const good = new RedisQueue<number>('auth', {
        redis: { port: secured.port, password: 'right-secret' },
      });
      await good.put(1);
      expect(await good.get()).toBe(1);
      await good.close();
    } finally {
      await secured.dispose();
    }
  }, 15_000);

  it('refuses data the codec cannot carry (functions) before anything is written', async () => {
    const q = fresh();
    await expect(q.put((() => 1) as unknown)).rejects.toThrow();
    expect(await q.qsize()).toBe(0);
    await q.close();
  }, 15_000);
});
