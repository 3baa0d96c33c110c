/** Frames received and not yet taken, with promise-based waiting; the reading half of a Connection. */
import { EOFError, TimeoutError } from './errors.js';
import type { FrameSink, FrameTransport } from './frame-transport.js';

interface Waiter {
  resolve(): void;
}

export class FrameInbox implements FrameSink {
  private readonly frames: Uint8Array[] = [];
  private readonly waiters = new Set<Waiter>();
  private endError: Error | undefined;
  ended = false;

  constructor(private readonly transport: FrameTransport) {}

  frame(bytes: Uint8Array): void {
    this.frames.push(bytes);
    this.wakeAll();
  }

  end(error?: Error): void {
    this.ended = true;
    this.endError = error;
    this.wakeAll();
  }

  /** A frame is buffered (or the stream has ended: the next take will say so). */
  get ready(): boolean {
    return this.frames.length > 0 || this.ended;
  }

  /** @throws EOFError at end of stream; the protocol error if the stream ended broken. */
  take(): Uint8Array {
    const frame = this.frames.shift();
    if (frame !== undefined) return frame;
    if (this.ended) throw this.endError ?? new EOFError('the other end closed the connection');
    throw new Error('no frame buffered');
  }

  /** Resolves true once a frame (or end of stream) is there, false after `timeoutMs`. */
  wait(timeoutMs?: number, signal?: AbortSignal): Promise<boolean> {
    if (this.ready) return Promise.resolve(true);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (timeoutMs !== undefined && timeoutMs <= 0) return Promise.resolve(false);
    return new Promise<boolean>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = () => {
        this.waiters.delete(waiter);
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.transport.setActive(this.waiters.size > 0);
      };
      const waiter: Waiter = {
        resolve: () => {
          settle();
          resolve(true);
        },
      };
      const onAbort = () => {
        settle();
        reject(signal?.reason);
      };
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          settle();
          resolve(false);
        }, timeoutMs);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);
      this.transport.setActive(true);
    });
  }

  /** Waits for the next frame. @throws TimeoutError after `timeoutMs`; EOFError at end of stream. */
  async next(timeoutMs?: number, signal?: AbortSignal): Promise<Uint8Array> {
    if (!(await this.wait(timeoutMs, signal))) throw new TimeoutError(`no frame within ${timeoutMs} ms`);
    return this.take();
  }

  private wakeAll(): void {
    for (const waiter of [...this.waiters]) waiter.resolve();
  }
}
