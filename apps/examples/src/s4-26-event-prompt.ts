/**
 * s4-26 — seeds/004_10c85533a5432f39.txt, "事件": 10 threads print `i`, `e.wait()` (red light), then print
 * `i + 100`; the main thread does `event.clear()` and `input(">>>")`, and on `1` `event.set()` (green).
 * Any other answer leaves the threads waiting (Python: forever); here the question is asked again.
 * When stdin is not a terminal the answer is the next piped line, or `1` by default.
 */
import { Event } from '@weft/lock';
import { isMainThread, Process } from '@weft/pool';
import { ask, stopAsking } from './lib/ask.js';
import { print } from './lib/print.js';

export async function func(e: Event, i: number): Promise<void> {
  print(i);
  await e.wait(); // 检测当前event是什么状态，如果是红灯，则阻塞，如果是绿灯则继续往下执行
  print(i + 100);
}

if (isMainThread) {
  const event = new Event();
  const threads = Array.from({ length: 10 }, (_, i) => new Process({ target: func, args: [event, i] }));
  for (const t of threads) t.start();
  event.clear(); // 主动将状态设置为红灯
  for (;;) {
    const inp = await ask('>>>', '1');
    if (inp === '1') {
      event.set(); // 主动将状态设置为绿灯
      break;
    }
  }
  stopAsking();
  for (const t of threads) await t.join();
}
