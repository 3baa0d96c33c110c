/**
 * s4-04 — seeds/004_10c85533a5432f39.txt, `multiprocessing.cpu_count()`: the number of cores.
 * Imported from the umbrella package `weft`, as one would `import multiprocessing`.
 */
import { cpuCount } from 'weft';
import { print } from './lib/print.js';

print(`CPU核心数量: ${String(cpuCount())}`);
