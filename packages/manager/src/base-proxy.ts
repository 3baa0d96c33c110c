/**
 * The client side of a served object. Every method is async: it sends the call to the server and
 * resolves with the answer. A proxy is a RemoteRef plus this thread's connection to the server; give
 * `proxy.ref` (or the proxy itself, through anything that speaks weft's codec) to another thread or
 * process and rebuild it there with `connectRemote(ref)`.
 */
import { CallChannel } from './call-channel.js';
import { ClosedError } from './errors.js';
import { authkeyFromHex, type RemoteRef } from './remote-ref.js';
import { callBlocking } from './sync-call.js';

/** What callMethod hands back, instead of a promise, inside `blocking()`. */
class BlockingResult {
  constructor(readonly value: unknown) {}
}

/** Options every waiting proxy method takes besides its own. */
export interface CallOptions {
  /** Abort the wait: the promise rejects with `signal.reason` and the server stops waiting. */
  signal?: AbortSignal | undefined;
}

/** How a proxy reaches its server. */
export interface ProxyOptions {
  /** Open a connection of its own instead of sharing this thread's (default false). */
  ownConnection?: boolean | undefined;
  /** Allow the shared-memory path when the server is in this process (default true). */
  sharedMemory?: boolean | undefined;
}

export class BaseProxy {
  /** The served object this proxy talks to: plain data, safe to send anywhere. */
  readonly ref: RemoteRef;
  private channel: CallChannel | undefined;
  private connecting: Promise<CallChannel> | undefined;

  private readonly options: ProxyOptions;
  private blockNext = false;

  constructor(ref: RemoteRef, options: ProxyOptions = {}) {
    this.ref = Object.freeze({ ...ref });
    this.options = options;
  }

  /** Closes the proxy's own connection (with `ownConnection`); a shared one stays for others. */
  close(): void {
    if (this.options.ownConnection) this.channel?.close();
    this.channel = undefined;
  }

  /** The path calls take: 'shared-memory' (same process) or 'socket'. */
  async transportKind(): Promise<'socket' | 'shared-memory'> {
    return (await this.getChannel()).transportKind;
  }

  /**
   * Calls `method` on the served object. `signalArg`: index of the options argument whose `signal`
   * was taken out; the server puts a signal of its own there, aborted when this call is cancelled.
   * @throws what the remote method threw (see README).
   */
  protected callMethod(
    method: string,
    args: unknown[],
    signal?: AbortSignal,
    signalArg?: number,
  ): Promise<unknown> {
    if (this.blockNext) {
      this.blockNext = false;
      if (signal)
        throw new TypeError(
          `${method}Sync() cannot take an AbortSignal: nothing can fire it while the thread is blocked`,
        );
      return new BlockingResult(callBlocking(this.ref, method, args)) as unknown as Promise<unknown>;
    }
    const channel = this.channel;
    if (channel && !channel.isBroken) return channel.call(this.ref.id, method, args, signal, signalArg);
    return this.getChannel().then((fresh) => fresh.call(this.ref.id, method, args, signal, signalArg));
  }

  /**
   * The blocking twin of an async proxy method: `start` calls that method (which builds its
   * arguments as usual); its remote call then blocks this thread until the answer is in.
   * @returns the async method's value. @throws what it would reject with; SyncDeadlockError if the
   * object is served by this thread; TypeError for a `signal` (a blocked thread cannot see it fire).
   */
  protected blocking<R>(start: () => Promise<R>): R {
    this.blockNext = true;
    try {
      const result: unknown = start();
      if (result instanceof BlockingResult) return result.value as R;
      throw new TypeError('internal: this proxy method has no blocking form');
    } finally {
      this.blockNext = false;
    }
  }

  /** `options` without its signal (a signal cannot be sent), and the signal. */
  protected static split<T extends CallOptions>(
    options: T | undefined,
  ): [Omit<T, 'signal'> | undefined, AbortSignal | undefined] {
    if (!options) return [undefined, undefined];
    const { signal, ...rest } = options;
    return [rest, signal];
  }

  private getChannel(): Promise<CallChannel> {
    if (this.channel && !this.channel.isBroken) return Promise.resolve(this.channel);
    // Calls made while connecting share one connection attempt.
    if (!this.connecting) {
      this.connecting = this.connect().finally(() => {
        this.connecting = undefined;
      });
    }
    return this.connecting;
  }

  private async connect(): Promise<CallChannel> {
    try {
      this.channel = await CallChannel.get(this.ref.address, authkeyFromHex(this.ref.authkey), {
        own: this.options.ownConnection,
        ...(this.options.sharedMemory === false ? { sharedMemory: false } : {}),
      });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'ECONNRESET') {
        throw new ClosedError(
          `cannot reach the manager at ${JSON.stringify(this.ref.address)}: it has shut down`,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
    return this.channel;
  }

  toJSON(): RemoteRef {
    return this.ref;
  }
}
