/**
 * s3-08 — seeds/003_a45aef1e4cf1acde.txt, "单向管道": `Pipe(duplex=False)`: `pipe[1]` is the sending
 * end (given to proc1), `pipe[0]` the receiving end (proc2 loops on `recv`); `p2.join(2)`.
 * Added: sending on the receive end fails at once with a clear error. proc2 is then terminated, as in
 * s3-07 (which also explains the shared counter).
 */
import { type Connection, Pipe } from '@weft/pipe';
import { isMainThread, Process } from '@weft/pool';
import { RawValue } from '@weft/shared-memory';
import { print } from './lib/print.js';
import { scaled } from './lib/time.js';

export function proc1(pipe: Connection): void {
  pipe.send('Hello,This is proc1');
}

export async function proc2(pipe: Connection, received: RawValue<'i'>): Promise<void> {
  for (;;) {
    print('proc2 recieve:', await pipe.recv());
    received.value += 1;
  }
}

if (isMainThread) {
  const pipe = Pipe({ duplex: false });
  print(`pipe[0] readable: ${pipe[0].readable}, writable: ${pipe[0].writable}`);
  print(`pipe[1] readable: ${pipe[1].readable}, writable: ${pipe[1].writable}`);
  try {
    pipe[0].send('the wrong way');
    print('sending on the receive end worked (unexpected)');
  } catch (error) {
    print(`pipe[0].send(...) on the receive end: ${(error as Error).name}: ${(error as Error).message}`);
  }
  const p1 = new Process({ target: proc1, args: [pipe[1]] }); // pipe[1]为发送端
  const received = new RawValue('i', 0);
  const p2 = new Process({ target: proc2, args: [pipe[0], received] }); // pipe[0]为接收端
  p1.start();
  p2.start();
  await p1.join();
  // The note counts on proc2 having its message well within the 2 s; with scaled sleeps on a busy
  // machine it might still be starting, so wait until it has printed it (it then blocks in recv()).
  while (received.value < 1) await new Promise((resolve) => setTimeout(resolve, 5));
  await p2.join(scaled(2000)); // 限制执行时间最多为2秒
  p2.terminate();
  await p2.join();
  print('\nend all processes.');
}
