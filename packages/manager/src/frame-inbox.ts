/** Frames received and not yet taken, with promise-based waiting; the reading half of a Connection. */
import { EOFError, TimeoutError } from './errors.js';
import type { FrameSink, FrameTransport } from './frame-transport.js';

interface Waiter {
  resolve(): void;
}

/** A `take` that found nothing buffered: the next frame goes straight to it. */
interface Taker {
  resolve(frame: Uint8Array): void;
  reject(error: Error): void;
}

export class FrameInbox implements FrameSink {
  private readonly frames: Uint8Array[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly takers: Taker[] = [];
  private direct: FrameSink | undefined;
  private endError: Error | undefined;
  ended = false;

  constructor(private readonly transport: FrameTransport) {}

  frame(bytes: Uint8Array): void {
    if (this.direct) {
      this.direct.frame(bytes);
      return;
    }
    const taker = this.takers.shift();
    if (taker) {
      if (this.takers.length === 0 && this.waiters.size === 0) this.transport.setActive(false);
      taker.resolve(bytes);
      return;
    }
    this.frames.push(bytes);
    this.wakeAll();
  }

  end(error?: Error): void {
    this.ended = true;
    this.endError = error;
    if (this.direct) {
      this.direct.end(error);
      return;
    }
    this.failTakers(error ?? new EOFError('the other end closed the connection'));
    this.wakeAll();
  }

  /**
   * From now on every frame goes straight to `sink` as it arrives (frames buffered so far first),
   * with no promise in between: how the manager's call channels and server read their connections.
   */
  redirect(sink: FrameSink): void {
    this.direct = sink;
    for (const frame of this.frames.splice(0)) sink.frame(frame);
    if (this.ended) sink.end(this.endError);
  }

  /**
   * The next frame, as soon as there is one: the receive path of a Connection, one promise per
   * frame (no timeout, no signal; `failTakers` ends a wait early).
   * @throws (rejects) EOFError at end of stream; the protocol error if the stream ended broken.
   */
  takeAsync(): Promise<Uint8Array> {
    if (this.frames.length > 0 || this.ended) {
      try {
        return Promise.resolve(this.take());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise<Uint8Array>((resolve, reject) => {
      this.takers.push({ resolve, reject });
      if (this.takers.length === 1) this.transport.setActive(true);
    });
  }

  /** Rejects every pending `takeAsync` with `error` (the connection was closed under it). */
  failTakers(error: Error): void {
    if (this.takers.length === 0) return;
    const takers = this.takers.splice(0);
    if (this.waiters.size === 0) this.transport.setActive(false);
    for (const taker of takers) taker.reject(error);
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
        this.transport.setActive(this.waiters.size > 0 || this.takers.length > 0);
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
