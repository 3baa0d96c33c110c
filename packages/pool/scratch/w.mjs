import { Worker } from 'node:worker_threads';
const w = new Worker(new URL('../dist/worker.js', import.meta.url), { workerData: undefined });
w.on('error', e => console.log('error', e)); w.on('exit', c => console.log('exit', c));
