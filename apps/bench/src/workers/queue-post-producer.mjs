// The postMessage anchor: posts `count` copies of `item` to the main thread once it flips `go`.
import { parentPort, workerData } from 'node:worker_threads';

const { count, item, go } = workerData;
const goWord = new Int32Array(go);
parentPort.postMessage('ready');
Atomics.wait(goWord, 0, 0);
for (let i = 0; i < count; i++) parentPort.postMessage(item);
