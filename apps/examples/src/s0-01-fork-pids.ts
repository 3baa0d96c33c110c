/**
 * s0-01 — seeds/000_35bfbc5fd545abd3.txt, first snippet "创建子进程": `pid = os.fork()`; the child
 * prints its pid and its parent's, the parent prints its pid and the child's.
 * (Also s2-01 and s4-01, which show the same `fork`.)
 *
 * Node has no `fork()`: a running process cannot be copied. The closest recreation is a weft Process
 * in the `process` context: a new Node process (`child_process.fork`, a real pid) that imports this
 * module and runs `child`. Unlike fork, the child starts from the top of the module, not from the
 * middle of a function — which is why the main code is guarded by `isMainThread`, like
 * `if __name__ == '__main__':`.
 */
import { isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';

export function child(): void {
  print(`I am child process (${process.pid}) and my parent is ${process.ppid}.`);
}

if (isMainThread) {
  print(`Process (${process.pid}) start...`);
  const p = new Process({ target: child, context: 'process' });
  p.start(); // the child process exists when start() returns: its pid is known, as fork() returns it
  print(`I (${process.pid}) just created a child process (${p.pid}).`);
  await p.join();
}
