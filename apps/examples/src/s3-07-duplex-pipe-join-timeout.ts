/**
 * s3-07 — seeds/003_a45aef1e4cf1acde.txt, "Pipe": a duplex `Pipe()`; `proc1` sends
 * `'Hello,This is proc1'` on `pipe[0]`, `proc2` loops forever on `pipe[1].recv()`; the parent joins
 * proc1, then `p2.join(2)` — at most 2 s.
 * `join(2000)` returns after 2 s with proc2 still blocked in `recv()`; the note says it "被强制结束"
 * (is forced to end): here the parent terminates it explicitly, then prints `end all processes.`
 * Before the timed join the parent makes sure proc2 has printed its message (a shared counter), so
 * that with scaled sleeps on a busy machine the output is still the note's.
 */
import { type Connection, Pipe } from '@weft/pipe';
import { isMainThread, Process } from '@weft/pool';
import { RawValue } from '@weft/shared-memory';
import { print } from './lib/print.js';
import { scaled } from './lib/time.js';

export function proc1(pipe: Connection): void {
  const s = 'Hello,This is proc1';
  pipe.send(s);
}

export async function proc2(pipe: Connection, received: RawValue<'i'>): Promise<void> {
  for (;;) {
    print('proc2 recieve:', await pipe.recv());
    received.value += 1;
  }
}

if (isMainThread) {
  const pipe = Pipe();
  const p1 = new Process({ target: proc1, args: [pipe[0]] });
  const received = new RawValue('i', 0);
  const p2 = new Process({ target: proc2, args: [pipe[1], received] });
  p1.start();
  p2.start();
  await p1.join();
  // The note counts on proc2 having its message well within the 2 s; with scaled sleeps on a busy
  // machine it might still be starting, so wait until it has printed it (it then blocks in recv()).
  while (received.value < 1) await new Promise((resolve) => setTimeout(resolve, 5));
  await p2.join(scaled(2000)); // 限制执行时间最多为2秒
  print(`after join(2000): proc2 alive: ${p2.isAlive()} (still blocked in recv), terminating it`);
  p2.terminate();
  await p2.join();
  print('\nend all processes.');
}
