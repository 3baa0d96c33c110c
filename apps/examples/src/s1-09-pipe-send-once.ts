/**
 * s1-09 — seeds/001_735ae49c9afa6657.txt, "管道": `parent_conn, child_conn = Pipe()`; the child sends
 * `[42, None, 'hello from child1']` and closes its end; the parent receives it.
 */
import { type Connection, Pipe } from '@weft/pipe';
import { isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';

export function f(conn: Connection): void {
  conn.send([42, null, 'hello from child1']); // 发送数据给parent_conn
  conn.close(); // 发完数据需要关闭
}

if (isMainThread) {
  const [parentConn, childConn] = Pipe();
  const p = new Process({ target: f, args: [childConn] });
  p.start();
  print(await parentConn.recv());
  await p.join();
}
