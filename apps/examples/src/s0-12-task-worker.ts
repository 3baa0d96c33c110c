/**
 * s0-12 — seeds/000_35bfbc5fd545abd3.txt, "分布式进程", `task_worker.py`: registers the two names only,
 * connects to the master with the same authkey, takes 10 tasks (`get(timeout=1)`), squares each, sleeps
 * 1 s, puts the result; on `Empty` prints "task queue is empty.".
 * This file is the worker: the master (s0-11) starts it as its own OS process with the server's host
 * and port. Run alone, it first starts that master, which starts it. Before connecting, it tries a
 * wrong authkey to show that the server refuses it (the note: "authkey不一致，肯定连接不上").
 */
import { BaseManager } from '@weft/manager';
import { Empty, type Queue } from '@weft/queue';
import { print } from './lib/print.js';
import { runDuplicateOf } from './lib/run-example.js';
import { sleep } from './lib/time.js';

async function worker(serverAddr: string, port: number): Promise<void> {
  print(`Connect to server ${serverAddr}...`);
  const intruder = new BaseManager({ address: [serverAddr, port], authkey: 'wrong key' });
  try {
    await intruder.connect();
    print('a wrong authkey was accepted (it should not be)');
    process.exitCode = 1;
  } catch (error) {
    print(`with a wrong authkey: refused (${(error as Error).name}: ${(error as Error).message})`);
  }

  // 端口和验证码注意保持与task_master.py设置的完全一致:
  const m = new BaseManager({ address: [serverAddr, port], authkey: 'abc' });
  m.register('get_task_queue');
  m.register('get_result_queue');
  await m.connect();
  const task = await m.get<Queue<number>>('get_task_queue');
  const result = await m.get<Queue<string>>('get_result_queue');
  // 从task队列取任务,并把结果写入result队列:
  for (let i = 0; i < 10; i++) {
    try {
      const n = await task.get({ timeout: 1000 });
      print(`run task ${n} * ${n}...`);
      const r = `${n} * ${n} = ${n * n}`;
      await sleep(1000);
      await result.put(r);
    } catch (error) {
      if (!(error instanceof Empty)) throw error;
      print('task queue is empty.');
    }
  }
  // 处理结束:
  print('worker exit.');
}

const [serverAddr, port] = process.argv.slice(2);
if (serverAddr && port) {
  await worker(serverAddr, Number(port));
} else {
  print('task_worker needs its master: starting task_master (s0-11), which starts this worker');
  await runDuplicateOf('s0-11');
}
