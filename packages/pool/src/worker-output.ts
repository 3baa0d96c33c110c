/**
 * A worker thread's stdout and stderr, forwarded to this process's own as Node does by default
 * (`stdout: false`), but without touching `process.stdout` or `process.stderr` until the worker first
 * writes. The first use of either creates its stream, which Node's default forwarding does inside
 * `new Worker()`, before the thread starts: about 2 ms for a program that has not printed yet (measured
 * here: two workers' first message 24.0 ms after `new Worker()` against 22.1 ms when those streams
 * already existed). The order of a worker's writes is kept; a worker that writes faster than this
 * process's output drains is paused until it drains, as a pipe would.
 */
import type { Readable } from 'node:stream';
import type { Worker } from 'node:worker_threads';

/** The Worker options that leave forwarding to `forwardOutput`. */
export const OWN_OUTPUT = { stdout: true, stderr: true } as const;

/** Forwards what `worker` (made with OWN_OUTPUT) writes to this process's stdout and stderr. */
export function forwardOutput(worker: Worker): void {
  forward(worker.stdout, () => process.stdout);
  forward(worker.stderr, () => process.stderr);
}

/** Sources paused until a destination drains; one 'drain' listener per destination however many. */
const paused = new Map<NodeJS.WritableStream, Readable[]>();

function forward(from: Readable, to: () => NodeJS.WritableStream): void {
  from.on('data', (chunk: Buffer) => {
    const destination = to();
    if (destination.write(chunk)) return;
    from.pause();
    let sources = paused.get(destination);
    if (!sources) {
      sources = [];
      paused.set(destination, sources);
      destination.once('drain', () => {
        paused.delete(destination);
        for (const source of sources!) source.resume();
      });
    }
    sources.push(from);
  });
}
