/**
 * s4-12 — seeds/004_10c85533a5432f39.txt, "共享string类型": `mp.Value(c_char_p, b"Hello World")`.
 * (In CPython a `c_char_p` Value shares only a pointer, which is meaningless in another process;
 * weft's string Value stores the UTF-8 bytes themselves, with a fixed capacity `maxBytes`.)
 * A child reads it and replaces it; the parent sees the change.
 */
import { isMainThread, Process } from '@weft/pool';
import { Value } from '@weft/shared-memory';
import { print } from './lib/print.js';

export function child(strVal: Value<'str'>): void {
  print(`child reads: ${strVal.value}`);
  strVal.value = 'Hello from the child';
}

if (isMainThread) {
  const strVal = new Value('str', 'Hello World', { maxBytes: 64 });
  print(`parent: ${strVal.value}`);
  const p = new Process({ target: child, args: [strVal] });
  p.start();
  await p.join();
  print(`parent now reads: ${strVal.value}`);
}
