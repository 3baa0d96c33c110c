/**
 * s3-17 — seeds/003_a45aef1e4cf1acde.txt, related article "Python多进程同步简单实现代码" (func(lock, a) in two processes).
 * Duplicate of s1-16 (a Lock around a print in several processes): this runs that example.
 */
import { runDuplicateOf } from './lib/run-example.js';

await runDuplicateOf('s1-16');
