/**
 * s0-11 — seeds/000_35bfbc5fd545abd3.txt, "分布式进程", `task_master.py`: a BaseManager registers
 * `get_task_queue` and `get_result_queue`, listens on port 5000 with authkey `abc`, puts 10 random
 * tasks and reads 10 results (timeout 10 s).
 * The note runs `task_worker.py` by hand on another machine; here the master starts it (s0-12) as a
 * separate OS process on 127.0.0.1, so the pair runs by itself. Port: 5000, or WEFT_EXAMPLES_PORT; if
 * it is taken, a free port is used and printed. Timeouts are milliseconds.
 */
import { createServer } from 'node:net';
import { BaseManager } from '@weft/manager';
import { Queue } from '@weft/queue';
import { findEntry, scriptOf } from './catalog.js';
import { print } from './lib/print.js';
import { exited, spawnSelf } from './lib/spawn-self.js';

/** 5000 as in the note when it is free, else any free port. */
async function choosePort(wanted: number): Promise<number> {
  const probe = createServer();
  const port = await new Promise<number>((resolve) => {
    probe.once('error', () =>
      probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)),
    );
    probe.listen(wanted, '127.0.0.1', () => resolve(wanted));
  });
  await new Promise((resolve) => probe.close(resolve));
  if (port !== wanted) print(`(port ${wanted} is in use here: using ${port})`);
  return port;
}

// 发送任务的队列 / 接收结果的队列:
const taskQueue = new Queue<number>();
const resultQueue = new Queue<string>();

const port = await choosePort(Number(process.env.WEFT_EXAMPLES_PORT ?? 5000));
// 把两个Queue都注册到网络上, callable参数关联了Queue对象; 绑定端口, 设置验证码'abc':
const manager = new BaseManager({ address: ['127.0.0.1', port], authkey: 'abc' });
manager.register('get_task_queue', () => taskQueue);
manager.register('get_result_queue', () => resultQueue);
await manager.start();
// 获得通过网络访问的Queue对象:
const task = await manager.get<Queue<number>>('get_task_queue');
const result = await manager.get<Queue<string>>('get_result_queue');

// The note's task_worker.py, as a separate OS process:
const workerEntry = findEntry('s0-12')!;
const worker = spawnSelf(scriptOf(workerEntry).href, ['127.0.0.1', String(port)]);

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
  print(`Result: ${r}`);
}
print(`worker exited with code ${await exited(worker)}`);
// 关闭:
await manager.shutdown();
print('master exit.');
