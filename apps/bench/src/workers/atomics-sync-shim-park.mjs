// Parks on word 0 with the shim's wait until the main thread changes it, and reports the CPU time
// this thread used meanwhile (read from /proc/thread-self/schedstat: nanoseconds on CPU), spin and
// wake-up included.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { wait } from '@weft/atomics-sync-shim';

const i32 = new Int32Array(workerData.sab);
const cpuNs = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
// Warm up the file read and the wait path (one 1 ms park) so that one-time costs of loading and
// compiling them are not counted as the cost of being parked.
cpuNs();
wait(i32, 0, 0, 1);
const cpuBefore = cpuNs();
const start = performance.now();
Atomics.store(i32, 1, 1);
Atomics.notify(i32, 1);
while (Atomics.load(i32, 0) === 0) wait(i32, 0, 0);
const elapsedMs = performance.now() - start;
parentPort.postMessage({ cpuNs: cpuNs() - cpuBefore, elapsedMs });
