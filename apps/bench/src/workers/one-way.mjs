// One-way throughput, worker -> this thread: a weft pipe received with recvSync, and postMessage
// counted on arrival (copied, as the pipe copies). The pipe suite measures both in the bench process;
// `node one-way.mjs <pipe|postMessage>` measures the 1 MB case in this fresh process and in plain Node
// and prints the figure last. A long-lived process's figure moves with what the process did before:
// how much of glibc's heap is mapped decides how many of the receiving side's fresh pages fault.
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { connectionToHandle, Pipe } from '@weft/pipe';

export const BIG_SIZE = 1024 * 1024;
export const BIG_COUNT = 300;
/** Messages of a warm-up round before a 1 MB figure: it then is not a contender's first touches of memory. */
const BIG_WARM_UP = 100;

function release(go) {
  const word = new Int32Array(go);
  Atomics.store(word, 0, 1);
  Atomics.notify(word, 0);
}

/** Starts worker `file` (next to this one); resolves once it has posted its first message (ready). */
async function start(file, workerData) {
  const worker = new Worker(new URL(file, import.meta.url), { workerData });
  const exited = new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', resolve);
  });
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    exited.then(
      (code) => reject(new Error(`worker ${file} exited (code ${code}) before it was ready`)),
      reject,
    );
  });
  return { worker, exited };
}

/** msgs/s from a worker sending `count` copies of `item` on a weft pipe, received with recvSync. */
export async function pipeOneWay(item, count) {
  const go = new SharedArrayBuffer(4);
  const [receiver, sender] = Pipe({ duplex: false });
  const { exited } = await start('pipe-sender.mjs', { conn: connectionToHandle(sender), count, item, go });
  sender.close();
  const begin = performance.now();
  release(go);
  for (let i = 0; i < count; i++) receiver.recvSync();
  const rate = (count / (performance.now() - begin)) * 1000;
  receiver.close();
  await exited;
  return rate;
}

/** msgs/s of the same items posted by a worker with postMessage, counted on arrival. */
export async function postMessageOneWay(item, count) {
  const go = new SharedArrayBuffer(4);
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
}

const contenders = { pipe: pipeOneWay, postMessage: postMessageOneWay };

/** msgs/s of BIG_COUNT × 1 MB Uint8Array for `contender` ('pipe' or 'postMessage'), after a warm-up round. */
export async function bigOneWay(contender) {
  const measure = contenders[contender];
  if (!measure) throw new Error(`usage: one-way.mjs <${Object.keys(contenders).join('|')}>`);
  const item = () => new Uint8Array(BIG_SIZE).fill(1);
  await measure(item(), BIG_WARM_UP);
  return measure(item(), BIG_COUNT);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await bigOneWay(process.argv[2]));
