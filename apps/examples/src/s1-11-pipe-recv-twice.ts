/**
 * s1-11 — seeds/001_735ae49c9afa6657.txt: the child sends twice, the parent receives twice — both
 * messages ("对端发送几次,这端就需要接收几次").
 */
import { type Connection, Pipe } from '@weft/pipe';
import { isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';

export function f(conn: Connection): void {
  conn.send([42, null, 'hello from child1']);
  conn.send([42, null, 'hello from child2']);
  conn.close();
}

if (isMainThread) {
  const [parentConn, childConn] = Pipe();
  const p = new Process({ target: f, args: [childConn] });
  p.start();
  print(await parentConn.recv());
  print(await parentConn.recv()); // 第二次接收数据
  await p.join();
}
