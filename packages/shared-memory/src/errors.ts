/**
 * Every error @weft/shared-memory throws, with Python's names. A value of the wrong JavaScript type is
 * the built-in `TypeError`, as in Python.
 */

export { ValueError } from '@weft/atomics-sync-shim';

/** An integer out of its typecode's range, as Python's `array` raises (ctypes would wrap silently). */
export class OverflowError extends Error {
  readonly code = 'ERR_OVERFLOW';
  constructor(message: string) {
    super(message);
    this.name = 'OverflowError';
  }
}

/** An index outside a SharedArray, as Python's `IndexError`. */
export class IndexError extends Error {
  readonly code = 'ERR_INDEX';
  constructor(message: string) {
    super(message);
    this.name = 'IndexError';
  }
}

/** `new SharedMemory({ name })` with a name already in use in this program, as Python's `FileExistsError`. */
export class FileExistsError extends Error {
  readonly code = 'ERR_SHARED_MEMORY_EXISTS';
  constructor(name: string) {
    super(`a shared memory block named '${name}' already exists`);
    this.name = 'FileExistsError';
  }
}

/** `SharedMemory.attach(name)` for a name no thread of this program has created, as Python's `FileNotFoundError`. */
export class FileNotFoundError extends Error {
  readonly code = 'ERR_SHARED_MEMORY_NOT_FOUND';
  constructor(name: string, detail = '') {
    super(`no shared memory block named '${name}'${detail}`);
    this.name = 'FileNotFoundError';
  }
}

/** Using a SharedMemory after `close()`. */
export class ClosedError extends Error {
  readonly code = 'ERR_SHARED_MEMORY_CLOSED';
  constructor(name: string) {
    super(`shared memory block '${name}' is closed in this thread`);
    this.name = 'ClosedError';
  }
}
