// `node one-way-1mb.mjs <pipe|postMessage>`: msgs/s of 300 × 1 MB Uint8Array sent by a worker to this
// thread, in this fresh process and in plain Node, after a warm-up round of 100; prints the figure
// last. A long-lived process's figure (the in-process row) moves with what the process did before:
// how much of glibc's heap is mapped decides how many of the receiving side's fresh pages fault.
import { Worker } from 'node:worker_threads';
import { connectionToHandle, Pipe } from '@weft/pipe';

const SIZE = 1024 * 1024;
const COUNT = 300;
const WARM_UP = 100;
const workers = new URL('./', import.meta.url);

function release(go) {
  const word = new Int32Array(go);
  Atomics.store(word, 0, 1);
  Atomics.notify(word, 0);
}

/** Starts `file` with workerData; resolves once it posts its first message (ready). */
async function start(file, workerData) {
  const worker = new Worker(new URL(file, workers), { workerData });
  const exited = new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', resolve);
  });
  await new Promise((resolve) => worker.once('message', resolve));
  return { worker, exited };
}

const contenders = {
  async pipe(count) {
    const go = new SharedArrayBuffer(4);
    const [receiver, sender] = Pipe({ duplex: false });
    const item = new Uint8Array(SIZE).fill(1);
    const { exited } = await start('pipe-sender.mjs', { conn: connectionToHandle(sender), count, item, go });
    sender.close();
    const begin = performance.now();
    release(go);
    for (let i = 0; i < count; i++) receiver.recvSync();
    const rate = (count / (performance.now() - begin)) * 1000;
    receiver.close();
    await exited;
    return rate;
  },
  async postMessage(count) {
    const go = new SharedArrayBuffer(4);
    const item = new Uint8Array(SIZE).fill(1);
    const { worker, exited } = await start('queue-post-producer.mjs', { count, item, go });
    let received = 0;
    const done = new Promise((resolve) => {
      worker.on('message', () => {
        if (++received === count) resolve(performance.now());
      });
    });
    const begin = performance.now();
    release(go);
    const end = await done;
    await exited;
    return (count / (end - begin)) * 1000;
  },
};

const measure = contenders[process.argv[2]];
if (!measure) throw new Error(`usage: one-way-1mb.mjs <${Object.keys(contenders).join('|')}>`);
await measure(WARM_UP);
console.log(await measure(COUNT));
