/**
 * s2-01 — seeds/002_c95671d694233dbc.txt, fork (code elided in the note).
 * Duplicate of s0-01 (the same fork() as s0-01): this runs that example.
 */
import { runDuplicateOf } from './lib/run-example.js';

await runDuplicateOf('s0-01');
