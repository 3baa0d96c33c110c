/**
 * s2-03 — seeds/002_c95671d694233dbc.txt, multiprocessing.Pool(), apply_async × 5.
 * Duplicate of s0-03 (Pool(4) with five apply_async tasks): this runs that example.
 */
import { runDuplicateOf } from './lib/run-example.js';

await runDuplicateOf('s0-03');
