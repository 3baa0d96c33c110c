/**
 * Registers a class with @weft/codec so that its instances cross to workers as handles (the same shared
 * memory, rebuilt on the other side).
 */
import { type HandleKind, registerHandleKind } from '@weft/codec';

/** Registers `kind` with @weft/codec (once per thread, at module load). */
export function registerKind<T extends object, S>(kind: HandleKind<T, S>): void {
  registerHandleKind(kind);
}
