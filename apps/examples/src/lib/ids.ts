import { threadId } from 'node:worker_threads';

/**
 * Who is running, for the lines where Python prints `os.getpid()`. weft's default workers are threads
 * of one process (they share its pid), so the thread id tells them apart: `4711 thread 3`.
 */
export function pidAndThread(): string {
  return threadId === 0 ? `${process.pid}` : `${process.pid} thread ${threadId}`;
}
