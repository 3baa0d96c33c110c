/**
 * s1-03 — seeds/001_735ae49c9afa6657.txt, `info('main process line')` called directly: module name,
 * parent process id, process id. The note's `\033[32;1m` colour codes arrived garbled as `33[32;1m`;
 * they are the ANSI escape for bold green, kept here (NO_COLOR turns them off).
 * `__name__` has no JavaScript equivalent: `moduleName` says `__main__` for the file being run.
 */

import { moduleName } from './lib/module-name.js';
import { print } from './lib/print.js';

const colour = (code: string, text: string) => (process.env.NO_COLOR ? text : `\x1b[${code}m${text}\x1b[0m`);

export function info(title: string): void {
  print(title);
  print('module name:', moduleName(import.meta.url));
  print('parent process:', process.ppid); // 获取父进程的id
  print('process id:', process.pid); // 获取自身的id
  print('\n');
}

info(colour('32;1', 'main process line'));
