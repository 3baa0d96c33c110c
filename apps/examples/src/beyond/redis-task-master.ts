/**
 * Beyond the notes — the notes' task_master.py (s0-11) with Redis in place of the home-made
 * BaseManager server: three processes (redis-server, this master, the worker of
 * redis-task-worker.ts). The two queues are `RedisQueue`s; the authkey `abc` becomes Redis's password.
 * The master puts 10 random tasks and reads 10 results (timeout 10 s), as in the note.
 * Skipped, with the reason printed, when no `redis-server` binary is installed.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RedisQueue } from '@weft/redis';
import { print } from '../lib/print.js';
import { exited, spawnSelf } from '../lib/spawn-self.js';

function redisServer(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  const port = await new Promise<number>((resolve) =>
    probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)),
  );
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function listening(port: number): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`redis-server did not listen on ${port}`);
}

// The worker's file, .ts under tsx or .js once built, as this one.
const workerScript = new URL(
  `./redis-task-worker${extname(fileURLToPath(import.meta.url))}`,
  import.meta.url,
);

const binary = redisServer();
if (binary === undefined) {
  print(
    'skipped: no redis-server binary on this machine (apt-get install redis-server, or brew install redis)',
  );
} else {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'weft-example-redis-'));
  // The first of the three processes: Redis, with the note's authkey as its password.
  const server: ChildProcess = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--requirepass', 'abc'],
    { stdio: 'ignore' },
  );
  try {
    await listening(port);
    print(`redis-server listening on 127.0.0.1:${port}`);
    const redis = { host: '127.0.0.1', port, password: 'abc' };
    // 发送任务的队列 / 接收结果的队列 (both live in Redis, under the key prefix `task-master`):
    const task = new RedisQueue<number>('task_queue', { redis, prefix: 'task-master' });
    const result = new RedisQueue<string>('result_queue', { redis, prefix: 'task-master' });

    // The worker, as its own OS process (the password travels in its environment, not its argv):
    const worker = spawnSelf(workerScript.href, ['127.0.0.1', String(port)], {
      env: { ...process.env, REDIS_PASSWORD: 'abc' },
    });

    // 放几个任务进去:
    for (let i = 0; i < 10; i++) {
      const n = Math.floor(Math.random() * 10001);
      print(`put task ${n}...`);
      await task.put(n);
    }
    // 从result队列读取结果:
    print('Try get results...');
    for (let i = 0; i < 10; i++) {
      const r = await result.get({ timeout: 10000 });
      await result.taskDone();
      print(`Result: ${r}`);
    }
    // Every task was marked done by the worker: nothing is left to redeliver.
    print(`all tasks done: ${await task.join({ timeout: 5000 })}`);
    print(`worker exited with code ${await exited(worker)}`);
    await task.close();
    await result.close();
  } finally {
    server.kill('SIGTERM');
    await exited(server);
    rmSync(dir, { recursive: true, force: true });
  }
}
