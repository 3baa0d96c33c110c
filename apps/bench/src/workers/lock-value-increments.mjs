// Adds 1 to a shared Value `increments` times, each under the Value's own lock, once word 0 of `start`
// turns 1. Posts 'ready' first and 'done' at the end.
import { parentPort, workerData } from 'node:worker_threads';
import { RawValue } from '@weft/shared-memory';

const value = RawValue.fromHandle(workerData.value);
const lock = value.getLock();
const start = new Int32Array(workerData.start);
parentPort.postMessage('ready');
while (Atomics.load(start, 0) === 0) Atomics.wait(start, 0, 0);
for (let i = 0; i < workerData.increments; i++) {
  lock.acquireSync();
  try {
    value.value += 1;
  } finally {
    lock.release();
  }
}
parentPort.postMessage('done');
