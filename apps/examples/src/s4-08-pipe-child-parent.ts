/**
 * s4-08 — seeds/004_10c85533a5432f39.txt, "管道" (the official documentation's demo): the child sends
 * `[42, None, 'hello']` through its end of a `Pipe()` and closes it; the parent receives it.
 */
import { type Connection, Pipe } from '@weft/pipe';
import { isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';

export function f(conn: Connection): void {
  conn.send([42, null, 'hello']);
  conn.close();
}

if (isMainThread) {
  const [parentConn, childConn] = Pipe();
  const p = new Process({ target: f, args: [childConn] });
  p.start();
  print(await parentConn.recv()); // prints "[42, null, 'hello']"
  await p.join();
}
