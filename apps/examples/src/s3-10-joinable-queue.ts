/**
 * s3-10 — seeds/003_a45aef1e4cf1acde.txt, related article "Python进程间通信用法实例": a consumer
 * process loops on `input_q.get()`, prints the item, and calls `input_q.task_done()`; the producer (the
 * main process) puts a sequence and calls `q.join()`, which returns once every item was marked done.
 * The consumer is a daemon and loops forever; Python kills daemons at exit, here it is terminated
 * explicitly after `join()` returned.
 */
import { isMainThread, Process } from '@weft/pool';
import { JoinableQueue } from '@weft/queue';
import { print } from './lib/print.js';
import { sleep } from './lib/time.js';

export async function consumer(inputQ: JoinableQueue<number>): Promise<void> {
  for (;;) {
    const item = await inputQ.get();
    await sleep(100); // 处理项目
    print('consumed', item); // 此处替换为有用的工作
    inputQ.taskDone(); // 发出信号通知任务完成
  }
}

async function producer(sequence: number[], outputQ: JoinableQueue<number>): Promise<void> {
  for (const item of sequence) {
    await outputQ.put(item);
    print('produced', item);
  }
}

if (isMainThread) {
  const q = new JoinableQueue<number>();
  const consP = new Process({ target: consumer, args: [q], daemon: true });
  consP.start();
  await producer([1, 2, 3, 4, 5], q);
  await q.join(); // 等待所有项被处理
  print('join() returned: every item was consumed and marked done');
  consP.terminate();
  await consP.join();
}
