// Puts `count` copies of `item` into a weft Queue (putSync) once the main thread flips `go`.
import { parentPort, workerData } from 'node:worker_threads';
import { queueFromHandle } from '@weft/queue';

const { handle, count, item, go } = workerData;
const queue = queueFromHandle(handle);
const goWord = new Int32Array(go);
parentPort.postMessage('ready');
Atomics.wait(goWord, 0, 0);
for (let i = 0; i < count; i++) queue.putSync(item);
parentPort.postMessage('done');
