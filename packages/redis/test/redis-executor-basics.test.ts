import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asCompleted, CancelledError, InvalidStateError, TimeoutError, wait } from '@weft/executor';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RedisAuthError,
  RedisExecutor,
  type RedisWorker,
  serveRedisExecutor,
  TaskLostError,
  task,
} from '../src/index.js';
import * as loadsOnlyOnClients from './fixtures/loads-only-on-clients.mjs';
import * as tasks from './fixtures/tasks.mjs';
import { type RunningRedis, startRedis } from './redis-server.js';
import { PACKAGE_ROOT, startWorker } from './workers.js';

const TASKS = new URL('./fixtures/tasks.mjs', import.meta.url).href;
const square = task(tasks.square as (x: number) => number, TASKS);
const fail = task(tasks.fail as (message: string) => never, TASKS);
const sleep = task(tasks.sleep as (ms: number) => number, TASKS);
const whoAmI = task(tasks.whoAmI as () => number, TASKS);
const killMyWorker = task(tasks.killMyWorker as (dir: string) => never, TASKS);

let server: RunningRedis;
let worker: RedisWorker;
beforeAll(async () => {
  server = await startRedis();
  worker = await serveRedisExecutor({
    redis: server.url,
    name: 'basics',
    concurrency: 2,
    root: PACKAGE_ROOT,
    visibilityTimeout: 2000,
    heartbeatInterval: 200,
  });
}, 30_000);
afterAll(async () => {
  await worker?.stop();
  await server?.dispose();
}, 30_000);

const client = (options: ConstructorParameters<typeof RedisExecutor>[0] = {}) =>
  new RedisExecutor({ redis: server.url, name: 'basics', root: PACKAGE_ROOT, ...options });

describe('RedisExecutor with an in-process worker', () => {
  it('submit returns a @weft/executor Future with the result; asCompleted and wait work on them', async () => {
    const executor = client();
    const future = executor.submit(square, 7);
    expect(await future.result(10_000)).toBe(49);
    expect(future.state).toBe('FINISHED');
    const many = [1, 2, 3, 4, 5].map((x) => executor.submit(square, x));
    const seen: number[] = [];
    for await (const done of asCompleted(many, { timeout: 10_000 })) seen.push(await done.result());
    expect(seen.sort((a, b) => a - b)).toEqual([1, 4, 9, 16, 25]);
    const { done, notDone } = await wait(many, { timeout: 1000 });
    expect(done.size).toBe(5);
    expect(notDone.size).toBe(0);
    await executor.shutdown();
    expect(() => executor.submit(square, 1)).toThrow(InvalidStateError);
  }, 30_000);

  it('a task error comes back with its class name, message and the remote stack as cause', async () => {
    const executor = client();
    const error = (await executor.submit(fail, 'no good').exception(10_000)) as Error;
    expect(error.name).toBe('RangeError');
    expect(error.message).toBe('no good');
    const cause = error.cause as Error;
    expect(cause.name).toBe('RemoteTraceback');
    expect(cause.message).toContain('tasks.mjs');
    await executor.shutdown();
  }, 30_000);

  it('a task whose module cannot load on the worker fails its future, and the worker goes on serving', async () => {
    const executor = client({ name: 'breaks-on-load' });
    const fine = task(
      loadsOnlyOnClients.fine as () => string,
      new URL('./fixtures/loads-only-on-clients.mjs', import.meta.url).href,
    );
    const bin = startWorker(server.url, 'breaks-on-load', [], { WEFT_BREAK_LOAD: '1' });
    try {
      const error = (await executor.submit(fine).exception(20_000)) as Error;
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toContain('cannot load test/fixtures/loads-only-on-clients.mjs');
      expect(error.message).toContain('fails to load on this worker on purpose');
      expect((error.cause as Error).name).toBe('RemoteTraceback');
      expect(await executor.submit(square, 3).result(20_000)).toBe(9);
      expect(bin.child.exitCode).toBeNull();
    } finally {
      await executor.shutdown();
      await bin.stop();
    }
  }, 30_000);

  it('map returns results in order; its timeout raises TimeoutError and cancels the rest', async () => {
    const executor = client();
    const results: number[] = [];
    for await (const value of executor.map(square, [1, 2, 3, 4])) results.push(value);
    expect(results).toEqual([1, 4, 9, 16]);
    const slow = executor.map(sleep, [800, 800, 800, 800, 800, 800], { timeout: 200 });
    await expect(slow.next()).rejects.toBeInstanceOf(TimeoutError);
    await executor.shutdown({ cancelFutures: true });
  }, 30_000);

  it('cancel() of a task no worker has taken works across machines: the worker drops it', async () => {
    const executor = client({ name: 'no-workers-yet' });
    const future = executor.submit(whoAmI);
    await new Promise((r) => setTimeout(r, 100));
    expect(future.cancel()).toBe(true);
    expect(future.cancelled()).toBe(true);
    await expect(future.result(100)).rejects.toBeInstanceOf(CancelledError);
    const kept = executor.submit(whoAmI);
    const late = await serveRedisExecutor({
      redis: server.url,
      name: 'no-workers-yet',
      concurrency: 1,
      root: PACKAGE_ROOT,
    });
    expect(await kept.result(10_000)).toBe(process.pid);
    expect(late.started).toBe(1); // the cancelled one was dropped, not run
    await executor.shutdown();
    await late.stop();
  }, 30_000);

  it('a running task cannot be cancelled; heartbeats list the live workers', async () => {
    const executor = client();
    const future = executor.submit(sleep, 300);
    const deadline = Date.now() + 10_000;
    while (!future.running() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(future.running()).toBe(true);
    expect(future.cancel()).toBe(false);
    expect(await future.result(10_000)).toBe(300);
    const workers = await executor.workers(5000);
    expect(workers.map((w) => w.name)).toContain(worker.name);
    await executor.shutdown();
  }, 30_000);

  it("context 'process': the worker's pool runs tasks in child processes", async () => {
    const processes = await serveRedisExecutor({
      redis: server.url,
      name: 'in-processes',
      concurrency: 1,
      context: 'process',
      root: PACKAGE_ROOT,
    });
    const executor = client({ name: 'in-processes' });
    try {
      const pid = await executor.submit(whoAmI).result(20_000);
      expect(pid).not.toBe(process.pid);
      expect(await executor.submit(square, 12).result(20_000)).toBe(144);
    } finally {
      await executor.shutdown();
      await processes.stop();
    }
  }, 30_000);

  it('a client whose connections are cut finds the results that arrived meanwhile', async () => {
    const executor = client({ name: 'basics' });
    await executor.ready();
    const futures = [150, 150, 150, 150].map((ms) => executor.submit(sleep, ms));
    // Cut every connection of this client (not the worker's) while the tasks run.
    const admin = new Redis(server.url);
    const list = (await admin.client('LIST')) as string;
    const ids = list
      .split('\n')
      .filter((line) => / name=weft-executor/.test(line))
      .map((line) => /id=(\d+)/.exec(line)?.[1]);
    expect(ids.length).toBe(2);
    for (const id of ids) await admin.client('KILL', 'ID', id as string);
    await admin.quit();
    expect(await Promise.all(futures.map((f) => f.result(20_000)))).toEqual([150, 150, 150, 150]);
    await executor.shutdown();
  }, 30_000);

  it('a task whose worker dies every time fails with TaskLostError after maxAttempts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weft-redis-deaths-'));
    const executor = client({ name: 'deadly', maxAttempts: 2 });
    const future = executor.submit(killMyWorker, dir);
    const extra = ['--visibility-timeout', '600', '--heartbeat-interval', '100'];
    try {
      for (let run = 0; run < 2; run++) {
        const doomed = startWorker(server.url, 'deadly', extra);
        expect((await doomed.exited).signal).toBe('SIGKILL');
      }
      const survivor = startWorker(server.url, 'deadly', extra);
      const error = (await future.exception(20_000)) as Error;
      expect(error).toBeInstanceOf(TaskLostError);
      expect(error.message).toContain('killMyWorker');
      expect(error.message).toContain('maxAttempts 2');
      expect(readFileSync(join(dir, 'deaths.log'), 'utf8').trim().split('\n')).toHaveLength(2);
      await survivor.stop();
      await executor.shutdown();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('a wrong password is refused with RedisAuthError (client, worker and the bin)', async () => {
    const secured = await startRedis({ password: 'sesame' });
    try {
      const wrong = `redis://:nope@127.0.0.1:${secured.port}`;
      const executor = new RedisExecutor({ redis: wrong });
      await expect(executor.ready()).rejects.toBeInstanceOf(RedisAuthError);
      const future = executor.submit(square, 2);
      await expect(future.exception(5000)).resolves.toBeInstanceOf(RedisAuthError);
      await executor.shutdown();
      await expect(serveRedisExecutor({ redis: wrong })).rejects.toBeInstanceOf(RedisAuthError);
      const bin = startWorker(wrong, 'x');
      expect((await bin.exited).code).toBe(1);
      expect(bin.output()).toContain('refused the credentials');
      expect(bin.output()).not.toContain('nope');
    } finally {
      await secured.dispose();
    }
  }, 30_000);
});
