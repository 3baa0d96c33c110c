/**
 * A client thread's line to one proxy server: one authenticated Connection per thread and server,
 * shared by every proxy of that server in the thread (Python also keeps one connection per thread).
 * Calls are pipelined: each carries an id and its answer may come back in any order.
 */
import { randomBytes } from 'node:crypto';
import type { Address } from './address.js';
import type { Connection } from './connection.js';
import {
  AuthenticationError,
  BrokenBarrierError,
  ClosedError,
  Empty,
  EOFError,
  Full,
  MemoryError,
  ProtocolError,
  RemoteError,
  SyncDeadlockError,
  TimeoutError,
} from './errors.js';
import { Client, type ConnectionOptions } from './listener.js';
import { CALL, CANCEL, ERROR, RESULT, SERVER_OBJECT, type SerializedError } from './protocol.js';

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** Remote errors that come back as the local class of the same name (so `instanceof` works). */
const KNOWN_ERRORS: Record<string, new (message: string) => Error> = {
  Empty,
  Full,
  TimeoutError,
  BrokenBarrierError,
  AuthenticationError,
  ClosedError,
  MemoryError,
  ProtocolError,
  SyncDeadlockError,
  TypeError,
  RangeError,
  ReferenceError,
};

export function rebuildError(serialized: SerializedError): Error {
  const name = typeof serialized?.name === 'string' ? serialized.name : 'Error';
  const message = typeof serialized?.message === 'string' ? serialized.message : '';
  const Known = KNOWN_ERRORS[name];
  const error = Known ? new Known(message) : new RemoteError(name, message, serialized?.stack);
  if (Known && typeof serialized?.stack === 'string')
    (error as { remoteStack?: string }).remoteStack = serialized.stack;
  return error;
}

const channels = new Map<string, Promise<CallChannel>>();

let ownerKey: string | undefined;

/**
 * This thread's identity as a lock owner in every server (random, sent only to authenticated
 * servers). The sync helper of a thread takes on its caller's key, so both count as one owner.
 */
export function threadOwnerKey(): string {
  ownerKey ??= randomBytes(16).toString('hex');
  return ownerKey;
}

/** @internal The sync helper acts for the thread that started it. */
export function actForOwner(key: string): void {
  ownerKey = key;
}

/** A server that is not there any more (its socket gone) reads as ClosedError; other errors as they are. */
function unreachable(address: Address, error: unknown): unknown {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'ECONNRESET') {
    return new ClosedError(`cannot reach the manager at ${JSON.stringify(address)}: it has shut down`, {
      cause: error,
    });
  }
  return error;
}

function channelKey(address: Address, authkey: Uint8Array): string {
  return `${JSON.stringify(address)}|${Buffer.from(authkey).toString('hex')}`;
}

export class CallChannel {
  private readonly pending = new Map<number, PendingCall>();
  private nextCallId = 1;
  private broken: Error | undefined;

  private constructor(
    private readonly connection: Connection,
    private readonly key: string,
  ) {
    // Answers are taken as they arrive (no promise per message); the connection keeps the thread
    // alive only while some call waits for its answer.
    connection.listen(
      (message) => this.onMessage(message),
      (error) => {
        this.fail(
          error === undefined || error instanceof EOFError || error instanceof ClosedError
            ? new ClosedError('the manager has shut down (connection closed)')
            : error,
        );
      },
    );
  }

  /**
   * This thread's channel to the server at `address`, connecting (and authenticating) on first use.
   * `own: true` opens a private one instead, not shared with other proxies.
   */
  static get(
    address: Address,
    authkey: Uint8Array,
    options: Omit<ConnectionOptions, 'authkey'> & { own?: boolean | undefined } = {},
  ): Promise<CallChannel> {
    const { own, ...connectionOptions } = options;
    if (own) {
      return Client(address, { ...connectionOptions, authkey }).then(
        (connection) => new CallChannel(connection, ''),
        (error: unknown) => Promise.reject(unreachable(address, error)),
      );
    }
    const key = channelKey(address, authkey) + (options.sharedMemory === false ? '|socket' : '');
    let channel = channels.get(key);
    if (!channel) {
      channel = Client(address, { ...connectionOptions, authkey }).then(
        (connection) => {
          const fresh = new CallChannel(connection, key);
          // First on the connection, so the server applies it before any other call.
          fresh.call(SERVER_OBJECT, 'adoptOwner', [threadOwnerKey()]).catch(() => {});
          return fresh;
        },
        (error: unknown) => Promise.reject(unreachable(address, error)),
      );
      channels.set(key, channel);
      channel.catch(() => channels.delete(key));
    }
    return channel;
  }

  /** Forgets (and closes) every channel of this thread to `address`. */
  static async drop(address: Address, authkey: Uint8Array): Promise<void> {
    const key = channelKey(address, authkey);
    const channel = channels.get(key);
    channels.delete(key);
    if (channel) (await channel.catch(() => undefined))?.close();
  }

  /** The connection failed or was closed: get a new channel. */
  get isBroken(): boolean {
    return this.broken !== undefined;
  }

  get transportKind(): 'socket' | 'shared-memory' {
    return this.connection.transportKind;
  }

  /**
   * Calls `method` on object `objectId` in the server.
   * @returns the method's result. @throws the remote error rebuilt locally (Empty, Full,
   * TimeoutError, BrokenBarrierError … or RemoteError with the remote name); ClosedError if the
   * server went away; `signal.reason` if aborted (the server is told to stop waiting).
   */
  call(
    objectId: number,
    method: string,
    args: unknown[],
    signal?: AbortSignal,
    signalArg?: number,
  ): Promise<unknown> {
    if (this.broken) return Promise.reject(this.broken);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const callId = this.nextCallId++;
    const promise = new Promise<unknown>((resolve, reject) => {
      let onAbort: (() => void) | undefined;
      if (signal) {
        onAbort = () => {
          this.pending.delete(callId);
          if (this.pending.size === 0) this.connection.keepAlive(false);
          try {
            this.connection.send([CANCEL, callId]);
          } catch {}
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }
      if (onAbort) {
        const listener = onAbort;
        this.pending.set(callId, {
          resolve: (value) => {
            signal?.removeEventListener('abort', listener);
            resolve(value);
          },
          reject: (error) => {
            signal?.removeEventListener('abort', listener);
            reject(error);
          },
        });
      } else {
        this.pending.set(callId, { resolve, reject });
      }
    });
    try {
      this.connection.send(
        signalArg === undefined
          ? [CALL, callId, objectId, method, args]
          : [CALL, callId, objectId, method, args, signalArg],
      );
    } catch (error) {
      this.pending.delete(callId);
      return Promise.reject(error);
    }
    if (this.pending.size === 1) this.connection.keepAlive(true);
    return promise;
  }

  close(): void {
    if (channels.get(this.key) !== undefined) channels.delete(this.key);
    this.fail(new ClosedError('the manager connection is closed'));
    this.connection.close();
  }

  private onMessage(message: unknown): void {
    if (!Array.isArray(message)) return;
    const [type, callId, payload] = message as [unknown, number, unknown];
    const call = this.pending.get(callId);
    if (!call) return; // cancelled meanwhile
    this.pending.delete(callId);
    if (this.pending.size === 0) this.connection.keepAlive(false);
    if (type === RESULT) call.resolve(payload);
    else if (type === ERROR) call.reject(rebuildError(payload as SerializedError));
  }

  private fail(error: Error): void {
    if (this.broken) return;
    this.broken = error;
    if (this.key) channels.delete(this.key);
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) call.reject(error);
    this.connection.close();
  }
}
