/**
 * Registers a class with @weft/codec so that its instances cross to workers as handles (the same shared
 * memory, rebuilt on the other side).
 */
import { type HandleKind, registerHandleKind } from '@weft/codec';

/** Registers `kind` with @weft/codec (once per thread, at module load). */
export function registerKind<T extends object, S>(kind: HandleKind<T, S>): void {
  registerHandleKind(kind);
}

/** Checks that a handle carries a SharedArrayBuffer of at least `bytes` bytes. @throws TypeError */
export function bufferOf(handle: unknown, what: string, bytes: number): SharedArrayBuffer {
  const buffer = (handle as { buffer?: unknown } | null)?.buffer;
  if (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength < bytes) {
    throw new TypeError(`not a ${what} handle: expected { buffer: SharedArrayBuffer } of ${bytes} bytes`);
  }
  return buffer;
}
