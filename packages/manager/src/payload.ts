/**
 * Values <-> frame bytes, with @weft/codec. Two decoders, and the transport picks one (there is no
 * flag to forget): frames from a socket decode with `decodeStrict` (plain data and manager proxies
 * only: no handle to our memory, no SharedArrayBuffer id, no code, no import); frames from a thread
 * of this process (a shared-memory ring, a MessagePort) decode with `decode`, handles included.
 */
import { decode, decodeStrict, encode } from '@weft/codec';

export function encodePayload(value: unknown): Uint8Array {
  return encode(value);
}

/** Bytes from another thread of this process: weft handles arrive as the same objects. */
export function decodePayload(bytes: Uint8Array): unknown {
  return decode(bytes);
}

/** Bytes from a socket (another process, another machine): data only. */
export function decodeNetworkPayload(bytes: Uint8Array): unknown {
  return decodeStrict(bytes);
}
