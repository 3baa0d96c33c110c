/**
 * s1-04 — seeds/001_735ae49c9afa6657.txt, `info` in the parent, then `Process(target=f, args=('bob',))`
 * calling it in the child: the child's module name is `__mp_main__`, its parent is the parent's pid.
 * The child runs in the `process` context (a real OS process) so that it has a pid of its own. Python's
 * note leaves `p.join()` commented out (the child still runs: Python waits for it at exit); here the
 * parent awaits it, which changes nothing in the output.
 */
import { isMainThread, Process } from '@weft/pool';
import { moduleName } from './lib/module-name.js';
import { print } from './lib/print.js';

const colour = (code: string, text: string) => (process.env.NO_COLOR ? text : `\x1b[${code}m${text}\x1b[0m`);

function info(title: string): void {
  print(title);
  print('module name:', moduleName(import.meta.url));
  print('parent process:', process.ppid);
  print('process id:', process.pid);
  print('\n');
}

export function f(name: string): void {
  info(colour('31;1', 'called from child process function f'));
  print('hello', name);
}

if (isMainThread) {
  info(colour('32;1', 'main process line'));
  const p = new Process({ target: f, args: ['bob'], context: 'process' }); // 设置子进程
  p.start(); // 启动子进程
  await p.join();
}
