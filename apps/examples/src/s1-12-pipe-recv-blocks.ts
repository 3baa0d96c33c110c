/**
 * s1-12 — seeds/001_735ae49c9afa6657.txt: the child sends twice, the parent receives three times —
 * "程序卡主了": the third `recv()` blocks forever.
 * Bounded here: before the third receive the parent asks `poll(2000)` whether anything will come.
 * Nothing does, so the example says that `recv()` would block here, and ends. (If the pipe reports the
 * child's close instead, `recv()` raises EOFError, and the example says that.)
 */
import { type Connection, EOFError, Pipe } from '@weft/pipe';
import { isMainThread, Process } from '@weft/pool';
import { print } from './lib/print.js';
import { scaled } from './lib/time.js';

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
  print(await parentConn.recv());
  // 对端发送两次,本段接收三次:
  if (await parentConn.poll(scaled(2000))) {
    try {
      print(await parentConn.recv());
    } catch (error) {
      if (!(error instanceof EOFError)) throw error;
      print('third recv(): EOFError — the child closed its end, nothing more will come');
    }
  } else {
    print('third recv(): nothing arrived within 2 s — recv() would block here forever');
  }
  await p.join();
}
