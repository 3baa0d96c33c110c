/**
 * s2-05 — seeds/002_c95671d694233dbc.txt, 进程间通信, the Queue writer/reader.
 * Duplicate of s0-05 (the writer/reader pair with terminate()): this runs that example.
 */
import { runDuplicateOf } from './lib/run-example.js';

await runDuplicateOf('s0-05');
