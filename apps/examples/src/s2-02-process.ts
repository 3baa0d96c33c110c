/**
 * s2-02 — seeds/002_c95671d694233dbc.txt, multiprocessing.Process (廖雪峰博客的代码).
 * Duplicate of s0-02 (Process(target=run_proc, args=('test',)), start, join): this runs that example.
 */
import { runDuplicateOf } from './lib/run-example.js';

await runDuplicateOf('s0-02');
