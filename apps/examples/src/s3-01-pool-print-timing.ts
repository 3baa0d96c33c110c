/**
 * s3-01 — seeds/003_a45aef1e4cf1acde.txt, "引例": `Pool(8)`, 16 × `apply_async(run_proc, ...)`; each
 * task prints `Run child process <name> (<pid>)` 5 times, 0.2 s apart; the parent prints the total time.
 * The note shows two lines mixed on one ("…Process0 (36708)Run child process Process1 (36748)"): its
 * print writes the text and the newline separately, so two workers can interleave. This example prints
 * the same way (`printInTwoWrites`), so mixed lines can happen here too; s3-02 adds the Lock.
 */
import { isMainThread, Pool } from '@weft/pool';
import { pidAndThread } from './lib/ids.js';
import { print, printInTwoWrites } from './lib/print.js';
import { secondsSince, sleep } from './lib/time.js';

export async function runProc(name: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await sleep(200); // 休眠0.2秒
    printInTwoWrites(`Run child process ${name} (${pidAndThread()})`);
  }
}

if (isMainThread) {
  print(`Run the main process (${pidAndThread()}).`);
  const mainStart = performance.now();
  const p = new Pool(8); // 开辟进程池
  for (let i = 0; i < 16; i++) p.applyAsync(runProc, [`Process${i}`]);
  print('Waiting for all subprocesses done ...');
  p.close();
  await p.join();
  print('All subprocesses done');
  print(`All process ran ${secondsSince(mainStart)} seconds.`);
}
