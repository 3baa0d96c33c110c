/**
 * s1-13 — seeds/001_735ae49c9afa6657.txt: the child sends twice then receives; the parent receives
 * twice then sends `"data from parent_conn"`, which the child prints: data in both directions.
 */
import { type Connection, Pipe } from '@weft/pipe';
import { isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';

export async function f(conn: Connection): Promise<void> {
  conn.send([42, null, 'hello from child1']);
  conn.send([42, null, 'hello from child2']); // 发送两次数据
  print(await conn.recv()); // 接收数据
  conn.close();
}

if (isMainThread) {
  const [parentConn, childConn] = Pipe();
  const p = new Process({ target: f, args: [childConn] });
  p.start();
  print(await parentConn.recv());
  print(await parentConn.recv());
  parentConn.send('data from parent_conn'); // 发送数据
  await p.join();
}
