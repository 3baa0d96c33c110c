/**
 * s0-09 — seeds/000_35bfbc5fd545abd3.txt, "ThreadLocal": `local_school = threading.local()`; each
 * thread sets `local_school.student` and `process_student()` reads it back.
 * weft's `local()` is the same per-thread storage. (weft's threads are workers, which have their own
 * module globals anyway; the main thread's value shows the isolation from the other side.)
 */
import { currentProcess, isMainThread, local, Process } from '@weft/pool';
import { print } from './lib/print.js';

const localSchool = local() as { student?: string };

function processStudent(): void {
  const std = localSchool.student;
  print(`hello, ${std} (in ${currentProcess().name})`);
}

export function processThread(name: string): void {
  localSchool.student = name;
  processStudent();
}

if (isMainThread) {
  localSchool.student = 'main';
  const t1 = new Process({ target: processThread, args: ['alice'], name: 'Thread-A' });
  const t2 = new Process({ target: processThread, args: ['bob'], name: 'Thread-B' });
  t1.start();
  t2.start();
  await t1.join();
  await t2.join();
  processStudent();
}
