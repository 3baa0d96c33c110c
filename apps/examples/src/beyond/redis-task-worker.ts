/**
 * Beyond the notes — the notes' task_worker.py (s0-12) against Redis: started by
 * redis-task-master.ts with Redis's host and port (the password in REDIS_PASSWORD). It first tries a
 * wrong password to show that Redis refuses it, then takes 10 tasks (`get(timeout=1)`), squares each,
 * sleeps 1 s, puts the result and marks the task done (an unmarked task would be handed to another
 * worker after the visibility timeout).
 */
import { Empty } from '@weft/queue';
import { RedisAuthError, RedisQueue } from '@weft/redis';
import { print } from '../lib/print.js';
import { sleep } from '../lib/time.js';

const [host, port] = process.argv.slice(2);
if (!host || !port) {
  print('redis-task-worker needs its master: run redis-task-master (npm run examples runs it)');
  process.exit(2);
}
print(`Connect to server ${host}:${port}...`);
const intruder = new RedisQueue<number>('task_queue', {
  redis: { host, port: Number(port), password: 'wrong key' },
  prefix: 'task-master',
});
try {
  await intruder.ready();
  print('a wrong password was accepted (it should not be)');
  process.exitCode = 1;
} catch (error) {
  if (!(error instanceof RedisAuthError)) throw error;
  print(`with a wrong password: refused (${error.name}: ${error.message})`);
}
await intruder.close();

const redis = { host, port: Number(port), password: process.env.REDIS_PASSWORD ?? '' };
const task = new RedisQueue<number>('task_queue', { redis, prefix: 'task-master' });
const result = new RedisQueue<string>('result_queue', { redis, prefix: 'task-master' });
// 从task队列取任务,并把结果写入result队列:
for (let i = 0; i < 10; i++) {
  try {
    const n = await task.get({ timeout: 1000 });
    print(`run task ${n} * ${n}...`);
    const r = `${n} * ${n} = ${n * n}`;
    await sleep(1000);
    await result.put(r);
    await task.taskDone();
  } catch (error) {
    if (!(error instanceof Empty)) throw error;
    print('task queue is empty.');
  }
}
// 处理结束:
print('worker exit.');
await task.close();
await result.close();
