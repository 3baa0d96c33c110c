import { Queue, queueToHandle } from '@weft/queue';
import { runPython, type Suite, startWorker } from '../harness.js';

const ITEM = [42, null, 'hello'];
const COUNT = 200_000;
const PYTHON_COUNT = 40_000;

/**
 * msgs/s from one producer worker (putSync) to the main thread (getSync), timed from the moment the
 * producer may start to the last get; worker start-up is not counted.
 */
async function queueOneToOne(): Promise<number> {
  const queue = new Queue<typeof ITEM>();
  const go = new SharedArrayBuffer(4);
  const producer = startWorker('queue-producer.mjs', {
    handle: queueToHandle(queue),
    count: COUNT,
    item: ITEM,
    go,
  });
  await producer.nextMessage();
  const start = performance.now();
  Atomics.store(new Int32Array(go), 0, 1);
  Atomics.notify(new Int32Array(go), 0);
  for (let i = 0; i < COUNT; i++) queue.getSync();
  const elapsed = performance.now() - start;
  await producer.exited;
  return (COUNT / elapsed) * 1000;
}

/** The same items posted by the worker with postMessage and counted in the main thread's 'message' events. */
async function postMessageOneToOne(): Promise<number> {
  const go = new SharedArrayBuffer(4);
  const producer = startWorker('queue-post-producer.mjs', { count: COUNT, item: ITEM, go });
  await producer.nextMessage();
  const { worker } = producer;
  let received = 0;
  const start = performance.now();
  const done = new Promise<number>((resolve) => {
    worker.removeAllListeners('message');
    worker.on('message', () => {
      if (++received === COUNT) resolve(performance.now());
    });
  });
  Atomics.store(new Int32Array(go), 0, 1);
  Atomics.notify(new Int32Array(go), 0);
  const end = await done;
  await producer.exited;
  return (COUNT / (end - start)) * 1000;
}

const suite: Suite = {
  name: 'queue',
  rows: [
    {
      name: 'Queue 1 producer -> 1 consumer, [42,null,"hello"]',
      unit: 'msgs/s',
      better: 'higher',
      weft: queueOneToOne,
      anchors: {
        postMessage: postMessageOneToOne,
        'python mp.Queue': () => runPython('queue_throughput.py', [PYTHON_COUNT]),
      },
      goal: [
        { anchor: 'postMessage', ratio: 2 },
        { anchor: 'python mp.Queue', ratio: 4 },
      ],
    },
  ],
};

export default suite;
