// Calls dict.set through a manager proxy in a loop; posts calls per second.
import { parentPort, workerData } from 'node:worker_threads';
import { connectRemote } from '@weft/manager';

const { ref, calls } = workerData;
const d = connectRemote(ref);
for (let i = 0; i < 500; i++) await d.set(i % 16, i);
const start = performance.now();
for (let i = 0; i < calls; i++) await d.set(i % 16, i);
parentPort.postMessage(calls / ((performance.now() - start) / 1000));
