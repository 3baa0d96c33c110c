/**
 * Kept apart from runtime.ts, which the worker bundle loads: a worker never asks for the CPU count, and
 * `node:os` is one more built-in module to compile in every new worker.
 */
import { availableParallelism, cpus } from 'node:os';

/** Number of CPUs the process may use (Python's `cpu_count()`). */
export function cpuCount(): number {
  return typeof availableParallelism === 'function' ? availableParallelism() : cpus().length;
}
