/**
 * s0-10 — seeds/000_35bfbc5fd545abd3.txt, "异步IO … 单进程的异步编程模型称为协程" (text only).
 * The idea: with the OS's asynchronous IO, one process with one thread runs many tasks, driven by
 * an event loop. Node *is* that model: every `async` function is a coroutine on the one event loop,
 * `await` is Python's `await`/`yield from`, and `Promise.all` is `asyncio.gather`.
 * Three tasks that each wait 1 s finish together in about 1 s, all on the same thread.
 */
import { threadId } from 'node:worker_threads';
import { secondsSince, sleep } from './lib/time.js';

async function hello(name: string): Promise<string> {
  console.log(`Hello world! (${name}, thread ${threadId})`);
  await sleep(1000); // like `await asyncio.sleep(1)`: the loop runs the other tasks meanwhile
  console.log(`Hello again! (${name}, thread ${threadId})`);
  return name.toUpperCase();
}

const start = performance.now();
const results = await Promise.all([hello('task-1'), hello('task-2'), hello('task-3')]);
console.log('results:', results);
console.log(
  `3 tasks of 1 s each on one event loop took ${secondsSince(start)} s (scaled by WEFT_TIME_SCALE)`,
);
