/*
 * Where encoded results live. Small outputs are carved out of a shared 8 KB slab, as Node's Buffer.allocUnsafe does with its pool:
 * allocating an ArrayBuffer of its own costs more CPU than encoding a small message (measured 0.7-1.3 µs
 * against 0.1 µs). A result from the slab never starts at byte 0 of it, so code that transfers
 * `bytes.buffer` only when `bytes.byteOffset === 0` (a common test for "this buffer is all mine") never
 * transfers the slab away from the other results in it; results of more than MAX_SLAB_OUTPUT bytes have
 * a buffer of their own, at offset 0. Posting a slab result copies the whole slab (the README says to post
 * `bytes.slice()`).
 */
const SLAB_SIZE = 8192;
const SLAB_START = 8;
export const MAX_SLAB_OUTPUT = 1024;
let slab = new ArrayBuffer(SLAB_SIZE);
let slabOffset = SLAB_START;

export function slabBytes(length: number): Uint8Array {
  if (slabOffset + length > SLAB_SIZE || slab.byteLength === 0) {
    // byteLength 0: someone transferred the slab away anyway; start a new one.
    slab = new ArrayBuffer(SLAB_SIZE);
    slabOffset = SLAB_START;
  }
  const bytes = new Uint8Array(slab, slabOffset, length);
  // 8-byte aligned, like Node's pool, so a reader may lay any typed array over a result.
  slabOffset = (slabOffset + length + 7) & ~7;
  return bytes;
}

/** A fresh, unpooled Uint8Array of `length` bytes whose contents the caller overwrites entirely. */
export function uninitializedBytes(length: number): Uint8Array {
  const bytes = Buffer.allocUnsafeSlow(length);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, length);
}
