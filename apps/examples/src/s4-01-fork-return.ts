/**
 * s4-01 — seeds/004_10c85533a5432f39.txt, os.fork (区分父子进程, the return value).
 * Duplicate of s0-01 (fork's two returns, parent and child): this runs that example.
 */
import { runDuplicateOf } from './lib/run-example.js';

await runDuplicateOf('s0-01');
