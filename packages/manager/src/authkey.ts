/** Authentication keys: bytes, or a string taken as UTF-8. */
import { randomBytes } from 'node:crypto';

export type AuthKey = Uint8Array | string;

export function authkeyBytes(authkey: unknown): Uint8Array {
  if (typeof authkey === 'string' && authkey.length > 0) return new TextEncoder().encode(authkey);
  if (authkey instanceof Uint8Array && authkey.byteLength > 0) return authkey;
  throw new TypeError('authkey must be a non-empty string or Uint8Array');
}

/** A fresh random key (32 bytes), like Python's per-process authkey: never the same twice. */
export function randomAuthkey(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}
