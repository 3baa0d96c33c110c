/**
 * s4-02 — seeds/004_10c85533a5432f39.txt, "multiprocessing.Process(group=None, target=None, name=None,
 * args=(), kwargs={})" and `Process(target=f, args=('john',))`: prints `hello john`.
 * The parameters become one options object: `target`, `args` (an array), `name`. There is no
 * `kwargs` (JavaScript functions take positional arguments; pass an object as one argument instead)
 * and no `group` (unused in Python too).
 */
import { isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';

export function f(name: string): void {
  print(`hello ${name}`);
}

if (isMainThread) {
  const p = new Process({ target: f, args: ['john'] });
  print(`name: ${p.name} (the default name), args: ${JSON.stringify(['john'])}`);
  p.start();
  await p.join();
  const named = new Process({ target: f, args: ['weft'], name: 'greeter' });
  print(`name: ${named.name} (given with name)`);
  named.start();
  await named.join();
}
