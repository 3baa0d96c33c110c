// A bare worker_threads worker for the p18 row's ceiling: runs p18(n) for each n posted, posts the sum.
import { parentPort } from 'node:worker_threads';
import { p18 } from './pool-tasks.mjs';

parentPort.on('message', (n) => parentPort.postMessage(p18(n)));
