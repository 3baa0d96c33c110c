/** The `lock` option of Value and SharedArray, and how their lock travels inside a handle. */
import { Lock, type LockHandle, RLock, type RLockHandle } from '@weft/lock';

/** `true` (default): a new RLock, as Python; a Lock/RLock: share that one; `false`: no lock (a raw object). */
export type LockOption = boolean | Lock | RLock;

/** A lock inside a handle (the lock's own handle, tagged with its class). */
export type LockInHandle = { kind: 'Lock'; handle: LockHandle } | { kind: 'RLock'; handle: RLockHandle };

/** @throws TypeError for something that is neither a boolean nor a @weft/lock Lock/RLock. */
export function resolveLock(option: LockOption | undefined): Lock | RLock | undefined {
  if (option === undefined || option === true) return new RLock();
  if (option === false) return undefined;
  if (option instanceof Lock || option instanceof RLock) return option;
  throw new TypeError("lock must be true, false, or a Lock/RLock from '@weft/lock'");
}

export function lockToHandle(lock: Lock | RLock): LockInHandle {
  return lock instanceof RLock
    ? { kind: 'RLock', handle: lock.toHandle() }
    : { kind: 'Lock', handle: lock.toHandle() };
}

export function lockFromHandle(state: LockInHandle): Lock | RLock {
  return state.kind === 'RLock' ? RLock.fromHandle(state.handle) : Lock.fromHandle(state.handle);
}

/** Runs `fn` holding `lock`, unless this thread holds it already (a plain Lock would deadlock on itself). */
export function underLock<T>(lock: Lock | RLock, fn: () => T): T {
  if (lock.isOwnedByCurrentThread()) return fn();
  return lock.withLockSync(fn);
}
