/**
 * A RemoteRef names one served object: plain data (strings and numbers), so it crosses anything —
 * postMessage, workerData, a weft Queue, a child process's argv or stdin, JSON.
 */
import type { Address } from './address.js';

export interface RemoteRef {
  /** Where the server listens. */
  readonly address: Address;
  /** The server's authkey, hex. Whoever holds the ref may use the object: treat it as a secret. */
  readonly authkey: string;
  /** The object's id in that server. */
  readonly id: number;
  /** What the server made it as ('dict', 'Queue', a registered typeid …): picks the proxy class. */
  readonly typeid: string;
}

export function isRemoteRef(value: unknown): value is RemoteRef {
  if (!value || typeof value !== 'object') return false;
  const ref = value as Record<string, unknown>;
  return (
    typeof ref.authkey === 'string' &&
    typeof ref.id === 'number' &&
    typeof ref.typeid === 'string' &&
    (typeof ref.address === 'string' ||
      (Array.isArray(ref.address) &&
        typeof ref.address[0] === 'string' &&
        typeof ref.address[1] === 'number'))
  );
}

export function authkeyFromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export function authkeyToHex(key: Uint8Array): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('hex');
}
