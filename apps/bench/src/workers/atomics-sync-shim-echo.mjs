// Answers every odd turn of word 0 with the next even one, parking with the shim's wait (spin, then
// park). Word 0 = -1 means stop: the stop signal changes the watched word too, since a waiter that
// is spinning only sees changes of the word, not a bare notify. Posts 'ready' first.
import { parentPort, workerData } from 'node:worker_threads';
import { notify, wait } from '@weft/atomics-sync-shim';

const STOP = -1;
const i32 = new Int32Array(workerData.sab);
parentPort.postMessage('ready');
let turn = 0;
for (;;) {
  while (Atomics.load(i32, 0) === turn) wait(i32, 0, turn);
  const now = Atomics.load(i32, 0);
  if (now === STOP) break;
  turn = now + 1;
  Atomics.store(i32, 0, turn);
  notify(i32, 0);
}
