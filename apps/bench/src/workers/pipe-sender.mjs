// Sends `count` copies of `item` on a weft Connection once the main thread flips `go`.
import { parentPort, workerData } from 'node:worker_threads';
import { connectionFromHandle } from '@weft/pipe';

const { conn, count, item, go } = workerData;
const connection = connectionFromHandle(conn);
const goWord = new Int32Array(go);
parentPort.postMessage('ready');
Atomics.wait(goWord, 0, 0);
for (let i = 0; i < count; i++) connection.send(item);
connection.close();
