/**
 * s0-05 — seeds/000_35bfbc5fd545abd3.txt, "进程间通信 -- Queue Pipes": a writer process puts A, B, C
 * into a `Queue`, a reader process loops forever on `q.get(True)`; the parent joins the writer and
 * terminates the reader (also s2-05).
 * The reader really loops forever and is really terminated. One addition: Python relies on the
 * writer's last random sleep to give the reader time to print `Get C`; here the reader counts what it
 * printed in a shared RawValue and the parent waits for 3 before `terminate()`, so no line is ever lost.
 */
import { isMainThread, Process } from '@weft/pool';
import { Queue } from '@weft/queue';
import { RawValue } from '@weft/shared-memory';
import { pidAndThread } from './lib/ids.js';
import { print } from './lib/print.js';
import { sleep } from './lib/time.js';

export async function write(q: Queue<string>): Promise<void> {
  print(`Process to write: ${pidAndThread()}`);
  for (const value of ['A', 'B', 'C']) {
    print(`Put ${value} to queue...`);
    await q.put(value);
    await sleep(Math.random() * 1000);
  }
}

export async function read(q: Queue<string>, printed: RawValue<'i'>): Promise<void> {
  print(`Process to read: ${pidAndThread()}`);
  for (;;) {
    const value = await q.get();
    print(`Get ${value} from queue.`);
    printed.value += 1;
  }
}

if (isMainThread) {
  const q = new Queue<string>();
  const printed = new RawValue('i', 0);
  const pw = new Process({ target: write, args: [q] });
  const pr = new Process({ target: read, args: [q, printed] });
  pw.start();
  pr.start();
  await pw.join();
  while (printed.value < 3) await new Promise((resolve) => setTimeout(resolve, 10));
  pr.terminate(); // pr loops forever: it can only be stopped from outside
  await pr.join();
  print(`reader terminated (alive: ${pr.isAlive()})`);
}
