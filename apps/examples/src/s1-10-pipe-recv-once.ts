/**
 * s1-10 — seeds/001_735ae49c9afa6657.txt: the child sends twice, the parent receives once — only the
 * first message is seen (the second stays in the pipe, unread).
 */
import { type Connection, Pipe } from '@weft/pipe';
import { isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';

export function f(conn: Connection): void {
  conn.send([42, null, 'hello from child1']);
  conn.send([42, null, 'hello from child2']); // 发送两次数据
  conn.close();
}

if (isMainThread) {
  const [parentConn, childConn] = Pipe();
  const p = new Process({ target: f, args: [childConn] });
  p.start();
  print(await parentConn.recv());
  await p.join();
}
