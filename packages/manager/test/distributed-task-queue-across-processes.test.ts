import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BaseManager } from '@weft/manager';
import { Queue } from '@weft/queue';
import { afterAll, describe, expect, it } from 'vitest';

const workerScript = fileURLToPath(new URL('./fixtures/task-worker.mjs', import.meta.url));

const children: ChildProcess[] = [];

function runWorker(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [workerScript, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill();
});

describe("task_master / task_worker over TCP (the notes' distributed example)", () => {
  it('a worker in another OS process takes 10 tasks and returns 10 results; a wrong authkey is refused', async () => {
    // weft Queues are shared-memory handles: they move to the manager's server thread and are served there.
    const taskQueue = new Queue<number>();
    const resultQueue = new Queue<string>();
    const manager = new BaseManager({ address: ['127.0.0.1', 0], authkey: 'abc' });
    manager.register('get_task_queue', () => taskQueue);
    manager.register('get_result_queue', () => resultQueue);
    await manager.start();
    try {
      const [host, port] = manager.address as [string, number];
      expect(host).toBe('127.0.0.1');
      expect(port).toBeGreaterThan(0);

      const task = await manager.get<Queue<number>>('get_task_queue');
      const result = await manager.get<Queue<string>>('get_result_queue');
      const numbers = Array.from({ length: 10 }, (_, i) => i * 7 + 3);
      for (const n of numbers) await task.put(n);

      const refused = await runWorker([host, String(port), 'wrong key']);
      expect(refused.output).toContain('refused: AuthenticationError');
      expect(refused.code).toBe(3);

      const worker = runWorker([host, String(port), 'abc']);
      const results: string[] = [];
      for (let i = 0; i < 10; i++) results.push(await result.get({ timeout: 60_000 }));
      expect(results).toEqual(numbers.map((n) => `${n} * ${n} = ${n * n}`));
      const { code, output } = await worker;
      expect(code).toBe(0);
      expect(output).toContain('worker done');
      // The proxies served the very queues of this thread (same shared memory), not copies.
      expect(taskQueue.qsize()).toBe(0);
      await task.put(99);
      expect(await taskQueue.get()).toBe(99);
    } finally {
      await manager.shutdown();
    }
  });
});

describe('getServer().serveForever()', () => {
  it('serves from the current thread until shutdown(); callables run here', async () => {
    const seen: number[] = [];
    const box = {
      push(n: number) {
        seen.push(n);
        return seen.length;
      },
    };
    const owner = new BaseManager({ address: ['127.0.0.1', 0], authkey: 'abc' });
    owner.register('get_box', () => box);
    const server = owner.getServer();
    const serving = server.serveForever();
    await server.ready();
    const client = new BaseManager({ address: server.address, authkey: 'abc' });
    await client.connect();
    const remote = await client.get<typeof box>('get_box');
    expect(await remote.push(7)).toBe(1);
    expect(seen).toEqual([7]); // the very object, in this thread
    await client.shutdown();
    await owner.shutdown();
    await serving; // returns once the manager is shut down
  });
});
