/**
 * s3-12 — seeds/003_a45aef1e4cf1acde.txt, related article "python多进程实现进程间通信实例" (multiprocessing.Queue).
 * Duplicate of s1-08 (a Queue between parent and child): this runs that example.
 */
import { runDuplicateOf } from './lib/run-example.js';

await runDuplicateOf('s1-08');
