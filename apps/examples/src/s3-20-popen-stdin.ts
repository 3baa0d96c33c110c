/**
 * s3-20 — seeds/003_a45aef1e4cf1acde.txt, related article "python执行子进程实现进程间通信的方法"
 * (`subprocess.Popen([...b.py], stdin=PIPE)` then `subproc.stdin.write('data\n')`).
 * Duplicate of s0-04: a child program fed on its stdin, its output captured. This runs that example.
 */
import { runDuplicateOf } from './lib/run-example.js';

await runDuplicateOf('s0-04');
