/**
 * @weft/redis against BullMQ, on one redis-server started here (loopback, no persistence), both with
 * 2 worker processes of concurrency 1 running the same tiny task (x + 1):
 * - tasks end to end: submit N, await N results (BullMQ: add N, waitUntilFinished via QueueEvents);
 * - RedisQueue put → get + taskDone vs BullMQ add → processed by a Worker in the same process;
 * - one submit → result round trip, median and p99.
 * The end-to-end row has the notes' own way as a second anchor: a BaseManager serving a task queue and
 * a result queue to 2 worker processes (task_master / task_worker).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BaseManager, type Proxied } from '@weft/manager';
import { Queue } from '@weft/queue';
import { RedisExecutor, RedisQueue, task } from '@weft/redis';
import { Queue as BullQueue, Worker as BullWorker, QueueEvents } from 'bullmq';
import { benchRoot, percentile, type Suite, workerPath } from '../harness.js';
import { increment } from '../workers/executor-tasks.mjs';

const TASKS = 2000;
const MESSAGES = 5000;
const ROUND_TRIPS = 300;

const require = createRequire(import.meta.url);
const WORKER_BIN = join(dirname(require.resolve('@weft/redis/package.json')), 'dist', 'worker-cli.js');
const shippedIncrement = task(increment as (x: number) => number, workerPath('executor-tasks.mjs'));

let server: ChildProcess | undefined;
let dir: string | undefined;
let port = 0;
const children: ChildProcess[] = [];
let executor: RedisExecutor | undefined;
let bullQueue: BullQueue | undefined;
let bullEvents: QueueEvents | undefined;
let run = 0;
let manager: BaseManager | undefined;
let managerTasks: Proxied<Queue<number>> | undefined;
let managerResults: Proxied<Queue<number>> | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function listening(): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
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
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts a child and resolves once it prints `marker`. */
function startChild(args: string[], marker: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${args[0]} not ready in 20 s`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(marker)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}`)));
  });
}

const connection = () => ({ host: '127.0.0.1', port, maxRetriesPerRequest: null });

async function weftEndToEnd(): Promise<number> {
  const start = performance.now();
  const futures = Array.from({ length: TASKS }, (_, i) => executor!.submit(shippedIncrement, i));
  const results = await Promise.all(futures);
  const seconds = (performance.now() - start) / 1000;
  if (results[TASKS - 1] !== TASKS) throw new Error(`wrong result ${results[TASKS - 1]}`);
  return TASKS / seconds;
}

async function bullEndToEnd(): Promise<number> {
  const start = performance.now();
  const jobs = await bullQueue!.addBulk(
    Array.from({ length: TASKS }, (_, i) => ({ name: 'inc', data: { x: i } })),
  );
  const results = await Promise.all(jobs.map((job) => job.waitUntilFinished(bullEvents!)));
  const seconds = (performance.now() - start) / 1000;
  if (results[TASKS - 1] !== TASKS) throw new Error(`wrong result ${results[TASKS - 1]}`);
  return TASKS / seconds;
}

/** The notes' way (task_master / task_worker): a BaseManager serving two queues, 2 worker processes. */
async function baseManagerEndToEnd(): Promise<number> {
  const start = performance.now();
  const putting = (async () => {
    for (let i = 0; i < TASKS; i++) await managerTasks!.put(i);
  })();
  let sum = 0;
  for (let i = 0; i < TASKS; i++) sum += await managerResults!.get();
  await putting;
  const seconds = (performance.now() - start) / 1000;
  if (sum !== (TASKS * (TASKS + 1)) / 2) throw new Error('lost results');
  return TASKS / seconds;
}

async function weftQueuePutGet(): Promise<number> {
  const name = `bench-${run++}`;
  const producer = new RedisQueue<number>(name, { redis: { port } });
  const consumer = new RedisQueue<number>(name, { redis: { port } });
  await Promise.all([producer.ready(), consumer.ready()]);
  const start = performance.now();
  const produce = (async () => {
    for (let i = 0; i < MESSAGES; i++) await producer.put(i);
  })();
  let sum = 0;
  for (let i = 0; i < MESSAGES; i++) {
    sum += await consumer.get();
    await consumer.taskDone();
  }
  await produce;
  const seconds = (performance.now() - start) / 1000;
  if (sum !== (MESSAGES * (MESSAGES - 1)) / 2) throw new Error('lost items');
  await producer.destroy();
  await Promise.all([producer.close(), consumer.close()]);
  return MESSAGES / seconds;
}

async function bullAddProcess(): Promise<number> {
  const name = `bench-bull-${run++}`;
  const queue = new BullQueue(name, { connection: connection() });
  let processed = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const worker = new BullWorker(
    name,
    async (job) => {
      if (++processed === MESSAGES) done();
      return job.data.x as number;
    },
    { connection: connection(), concurrency: 1 },
  );
  await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
  const start = performance.now();
  for (let i = 0; i < MESSAGES; i++) await queue.add('m', { x: i }, { removeOnComplete: true });
  await finished;
  const seconds = (performance.now() - start) / 1000;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return MESSAGES / seconds;
}

async function roundTrips(one: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < 20; i++) await one(); // warm-up
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const start = performance.now();
    await one();
    times.push((performance.now() - start) * 1000);
  }
  return times;
}

const weftOne = () => executor!.submit(shippedIncrement, 1);
const bullOne = async () => (await bullQueue!.add('inc', { x: 1 })).waitUntilFinished(bullEvents!);

const suite: Suite = {
  name: 'redis',
  setup: async () => {
    port = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'weft-bench-redis-'));
    server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    server.once('error', () => {});
    await listening();
    await Promise.all(
      [0, 1].map(() =>
        startChild(
          [
            WORKER_BIN,
            '--redis',
            `redis://127.0.0.1:${port}`,
            '--name',
            'bench',
            '--concurrency',
            '1',
            '--root',
            benchRoot,
          ],
          'serving',
        ),
      ),
    );
    await Promise.all(
      [0, 1].map(() =>
        startChild(
          [workerPath('redis-bullmq-worker.mjs'), JSON.stringify({ port, queue: 'bench' })],
          'ready',
        ),
      ),
    );
    const taskQueue = new Queue<number>();
    const resultQueue = new Queue<number>();
    manager = new BaseManager({ address: ['127.0.0.1', 0], authkey: 'weft-bench' });
    manager.register('get_task_queue', () => taskQueue);
    manager.register('get_result_queue', () => resultQueue);
    await manager.start();
    managerTasks = await manager.get<Queue<number>>('get_task_queue');
    managerResults = await manager.get<Queue<number>>('get_result_queue');
    const managerPort = (manager.address as [string, number])[1];
    await Promise.all(
      [0, 1].map(() =>
        startChild(
          [workerPath('redis-basemanager-worker.mjs'), JSON.stringify({ port: managerPort })],
          'ready',
        ),
      ),
    );
    executor = new RedisExecutor({ redis: { port }, name: 'bench', root: benchRoot });
    await executor.ready();
    bullQueue = new BullQueue('bench', {
      connection: connection(),
      defaultJobOptions: { removeOnComplete: 1000 },
    });
    bullEvents = new QueueEvents('bench', { connection: connection() });
    await Promise.all([bullQueue.waitUntilReady(), bullEvents.waitUntilReady()]);
  },
  teardown: async () => {
    await executor?.shutdown();
    if (managerTasks) for (let i = 0; i < 2; i++) await managerTasks.put(-1);
    await manager?.shutdown();
    await bullEvents?.close();
    await bullQueue?.close();
    for (const child of children) child.kill('SIGTERM');
    server?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
  rows: [
    {
      name: `RedisExecutor ${TASKS} tiny tasks submit -> result, 2 worker processes (BullMQ: addBulk + waitUntilFinished)`,
      unit: 'tasks/s',
      better: 'higher',
      weft: weftEndToEnd,
      anchors: { bullmq: bullEndToEnd, 'BaseManager queues (the notes)': baseManagerEndToEnd },
      goal: { anchor: 'bullmq', ratio: 2 },
    },
    {
      name: `RedisQueue put -> get + taskDone, ${MESSAGES} numbers (BullMQ: add -> Worker processed)`,
      unit: 'msgs/s',
      better: 'higher',
      weft: weftQueuePutGet,
      anchors: { bullmq: bullAddProcess },
    },
    {
      name: 'RedisExecutor one submit -> result round trip, median',
      unit: 'µs',
      better: 'lower',
      weft: async () => percentile(await roundTrips(weftOne), 50),
      anchors: { bullmq: async () => percentile(await roundTrips(bullOne), 50) },
    },
    {
      name: 'RedisExecutor one submit -> result round trip, p99',
      unit: 'µs',
      better: 'lower',
      weft: async () => percentile(await roundTrips(weftOne), 99),
      anchors: { bullmq: async () => percentile(await roundTrips(bullOne), 99) },
    },
  ],
};

export default suite;
