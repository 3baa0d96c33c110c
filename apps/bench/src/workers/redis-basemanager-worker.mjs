// The notes' task_worker for the redis bench's BaseManager anchor: takes numbers from the master's task
// queue, puts x + 1 on its result queue, until it takes -1.
import { BaseManager } from '@weft/manager';

const { port } = JSON.parse(process.argv[2]);
const manager = new BaseManager({ address: ['127.0.0.1', port], authkey: 'weft-bench' });
manager.register('get_task_queue');
manager.register('get_result_queue');
await manager.connect();
const task = await manager.get('get_task_queue');
const result = await manager.get('get_result_queue');
process.stdout.write('ready\n');
for (;;) {
  const n = await task.get();
  if (n === -1) break;
  await result.put(n + 1);
}
process.exit(0);
