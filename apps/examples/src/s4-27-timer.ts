/**
 * s4-27 — seeds/004_10c85533a5432f39.txt, "定时器": `Timer(1, hello)` — `hello()` prints
 * `hello, world` one second after `start()`. weft's Timer takes milliseconds.
 */
import { isMainThread, Timer } from '@weft/pool';
import { print } from './lib/print.js';
import { scaled, secondsSince } from './lib/time.js';

const started = performance.now();

export function hello(): void {
  print('hello, world');
}

if (isMainThread) {
  const t = new Timer(scaled(1000), hello); // 表示1秒后执行hello函数
  print('starting the timer');
  t.start();
  process.on('exit', () =>
    print(`(exited ${secondsSince(started)} s after start, scaled by WEFT_TIME_SCALE)`),
  );
}
