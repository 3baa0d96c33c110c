// Passes a Barrier(2) `rounds` times (after 'ready'), the other party being the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { Barrier } from '@weft/lock';

const barrier = Barrier.fromHandle(workerData.barrier);
parentPort.postMessage('ready');
for (let i = 0; i < workerData.rounds; i++) barrier.waitSync();
parentPort.postMessage('done');
