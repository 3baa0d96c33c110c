/**
 * s4-28 — seeds/004_10c85533a5432f39.txt, `q = queue.Queue(5)`: put 111, 222, 333; get twice;
 * `task_done()`; `qsize()`, `empty()`, `full()` print 111, 222, 1, False, False (here `false`).
 * Python's `queue.Queue` has `task_done()`; in weft that belongs to JoinableQueue.
 */
import { JoinableQueue } from '@weft/queue';
import { print } from './lib/print.js';

const q = new JoinableQueue<number>({ maxsize: 5 });
await q.put(111); // 存队列
await q.put(222);
await q.put(333);

print(await q.get()); // 取队列
print(await q.get());
q.taskDone(); // 每次从queue中get一个数据之后，当处理好相关问题，最后调用该方法
print(q.qsize()); // 队列中元素的个数
print(q.empty()); // 队列是否为空
print(q.full()); // 队列是否满了
