/**
 * Values <-> frame bytes, with @weft/codec: structured-clone data plus weft handles. Decoding builds
 * data only — nothing received runs code (unlike pickle).
 */
import { decode, encode } from '@weft/codec';

export function encodePayload(value: unknown): Uint8Array {
  return encode(value);
}

/**
 * `fromNetwork`: the bytes came over a socket, so they cannot name a SharedArrayBuffer of this
 * process; fail at once instead of asking the other threads for it. Nor may a peer's bytes make this
 * thread load code: a handle kind that is not registered already is refused, never `require`d.
 */
export function decodePayload(bytes: Uint8Array, fromNetwork = false): unknown {
  return fromNetwork ? decode(bytes, { bufferTimeout: 0, importKinds: false }) : decode(bytes);
}
