/**
 * s3-11 — seeds/003_a45aef1e4cf1acde.txt, related article "Python进程通信之匿名管道实例讲解":
 * `r, w = os.pipe()`, `os.fork()`, the child writes `'Spam %03d'` lines to `w` forever with a sleep,
 * the parent reads lines from `r` and prints them with the time.
 *
 * Node has no `os.pipe()` nor `fork()`. The anonymous OS pipe Node offers is a child process's stdio:
 * here an extra descriptor (fd 3) of a child started from this same file; the child writes to it, the
 * parent reads the other end. One-way, bytes only, like `os.pipe()`.
 * Differs: the note's child loops forever; this one writes 5 lines and exits (a bounded loop).
 */
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { exited, spawnSelf } from './lib/spawn-self.js';
import { sleep } from './lib/time.js';

async function child(): Promise<void> {
  console.log('hello from child', process.pid);
  for (let counter = 0; counter < 5; counter++) {
    await sleep(1000);
    writeSync(3, `Spam ${String(counter).padStart(3, '0')}\n`); // fd 3: the write end of the pipe
  }
}

async function parent(): Promise<void> {
  console.log('hello from parent', process.pid);
  const childProcess = spawnSelf(import.meta.url, ['child'], {
    stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
  });
  const readEnd = childProcess.stdio[3] as Readable; // the read end, like `os.fdopen(rpipe)`
  for await (const line of createInterface({ input: readEnd })) {
    console.log(`Parent ${process.pid} got [${line}] at ${new Date().toISOString().slice(11, 23)}`);
  }
  console.log('pipe closed by the child, exit code', await exited(childProcess));
}

if (process.argv[2] === 'child') await child();
else await parent();
