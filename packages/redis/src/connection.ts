/**
 * Connections to Redis: every object of this package takes the same `redis` option (a URL or ioredis
 * options: host, port, username/password for AUTH and ACL users, `tls` for TLS — passed through as
 * they are) and a key `prefix`. A connection that is refused for its credentials fails with
 * `RedisAuthError` at once instead of retrying forever in the background.
 */
import { Redis, type RedisOptions } from 'ioredis';

/** Where Redis is: a `redis://` / `rediss://` URL, or ioredis's options (TLS, ACL user, password...). */
export type RedisTarget = string | RedisOptions;

export interface RedisConnectionOptions {
  /** The server: URL or ioredis options (default `redis://127.0.0.1:6379`). */
  redis?: RedisTarget | undefined;
  /** Every key this package writes starts with `<prefix>:` (default `weft`). */
  prefix?: string | undefined;
}

/** The server refused the credentials (wrong password, unknown or disabled ACL user). */
export class RedisAuthError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RedisAuthError';
  }
}

const AUTH_FAILURE = /WRONGPASS|NOAUTH|invalid password|invalid username-password/i;

/** Describes the target without its password, for messages. */
export function describeTarget(target: RedisTarget | undefined): string {
  if (target === undefined) return 'redis://127.0.0.1:6379';
  if (typeof target === 'string') return target.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  const scheme = target.tls ? 'rediss' : 'redis';
  const user = target.username ? `${target.username}@` : '';
  return `${scheme}://${user}${target.host ?? '127.0.0.1'}:${target.port ?? 6379}`;
}

/**
 * Opens one connection and waits until it is ready. Commands issued while Redis is away wait for the
 * reconnection (no retry limit): a restarted server is met again, not reported as a failure.
 */
export async function openConnection(target: RedisTarget | undefined, name: string): Promise<Redis> {
  const common: RedisOptions = {
    lazyConnect: true,
    maxRetriesPerRequest: null,
    // No auto-pipelining: measured, tiny tasks end to end were 2.5× slower with it (its cost is in
    // ioredis's batching of script calls; not traced further). Commands still go out without waiting
    // for replies, and the worker batches its script calls itself.
    enableAutoPipelining: false,
    connectionName: name,
    retryStrategy: (times) => Math.min(50 * times, 1000),
  };
  const redis =
    typeof target === 'string'
      ? new Redis(target, common)
      : new Redis({ ...common, ...(target ?? {}), lazyConnect: true, maxRetriesPerRequest: null });
  let authError: unknown;
  const onError = (error: unknown) => {
    if (error instanceof Error && AUTH_FAILURE.test(error.message)) authError = error;
  };
  redis.on('error', onError);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    const cause = authError ?? error;
    if (cause instanceof Error && AUTH_FAILURE.test(cause.message)) {
      throw new RedisAuthError(
        `Redis at ${describeTarget(target)} refused the credentials (${cause.message}); ` +
          'pass the right `password` (and `username` for an ACL user) in the `redis` option',
        { cause },
      );
    }
    throw error;
  }
  if (authError !== undefined) {
    redis.disconnect();
    throw new RedisAuthError(`Redis at ${describeTarget(target)} refused the credentials`, {
      cause: authError,
    });
  }
  return redis;
}

/** Key prefix without a trailing colon. */
export function prefixOf(options: RedisConnectionOptions): string {
  const prefix = options.prefix ?? 'weft';
  if (typeof prefix !== 'string' || prefix.length === 0 || /\s/.test(prefix))
    throw new TypeError(`prefix must be a non-empty string without spaces, got ${JSON.stringify(prefix)}`);
  return prefix;
}

/** A consumer name unique across machines: host, pid and a random part. */
export function uniqueName(kind: string): string {
  return `${kind}:${process.pid}:${Math.random().toString(36).slice(2, 10)}`;
}

/** Redis's "no such group" (the stream or its group vanished, e.g. a restart without persistence). */
export function isNoGroup(error: unknown): boolean {
  return error instanceof Error && /NOGROUP/.test(error.message);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
