import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisQueue } from '../src/index.js';
import { type RunningRedis, startRedis } from './redis-server.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/queue-process.mjs', import.meta.url));

let server: RunningRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server?.dispose();
});

function run(args: string[]) {
  const child = spawn(process.execPath, [FIXTURE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    out: string;
    err: string;
  }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, out, err })));
  return { child, exited, output: () => out };
}

describe('RedisQueue shared by real processes', () => {
  it('3 producers and 3 consumers: every item taken exactly once, join returns', async () => {
    const name = 'across-exact';
    const perProducer = 1000;
    const producers = [0, 1, 2].map((p) =>
      run(['produce', server.url, name, String(p * perProducer), String(perProducer)]),
    );
    const consumers = [0, 1, 2].map(() => run(['consume', server.url, name]));
    for (const producer of producers) expect((await producer.exited).code).toBe(0);
    const main = new RedisQueue<number>(name, { redis: server.url });
    for (let i = 0; i < consumers.length; i++) await main.put(-1);
    const results = await Promise.all(consumers.map((c) => c.exited));
    const seen = new Map<number, number>();
    for (const result of results) {
      expect(result.code, result.err).toBe(0);
      for (const item of JSON.parse(result.out) as number[]) seen.set(item, (seen.get(item) ?? 0) + 1);
    }
    expect(seen.size).toBe(3 * perProducer);
    for (let i = 0; i < 3 * perProducer; i++) expect(seen.get(i)).toBe(1);
    expect(await main.join({ timeout: 5000 })).toBe(true);
    expect(await main.unfinishedTasks()).toBe(0);
    await main.close();
  }, 60_000);

  it('a consumer SIGKILLed before taskDone: its item is handed to another after the visibility timeout', async () => {
    const name = 'across-kill';
    const main = new RedisQueue<number>(name, { redis: server.url, visibilityTimeout: 500 });
    await main.put(7);
    await main.put(8);
    const holder = run(['hold', server.url, name]);
    const deadline = Date.now() + 20_000;
    while (!holder.output().includes('took') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(holder.output()).toBe('took 7\n');
    holder.child.kill('SIGKILL');
    expect((await holder.exited).signal).toBe('SIGKILL');
    // 8 first (waiting), then 7 once its lease has expired.
    expect(await main.get({ timeout: 5000 })).toBe(8);
    const started = Date.now();
    expect(await main.get({ timeout: 5000 })).toBe(7);
    expect(Date.now() - started).toBeLessThan(5000);
    await main.taskDone();
    await main.taskDone();
    expect(await main.join({ timeout: 2000 })).toBe(true);
    await main.close();
  }, 60_000);
});
