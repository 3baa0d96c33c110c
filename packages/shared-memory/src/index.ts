export {
  ClosedError,
  FileExistsError,
  FileNotFoundError,
  IndexError,
  OverflowError,
  ValueError,
} from './errors.js';
export {
  RawSharedArray,
  SharedArray,
  type SharedArrayConstructor,
  type SharedArrayHandle,
  type SharedArrayOptions,
  SynchronizedSharedArray,
} from './shared-array.js';
export {
  type AttachOptions,
  SharedMemory,
  type SharedMemoryHandle,
  type SharedMemoryOptions,
} from './shared-memory.js';
export type { LockOption } from './synchronized.js';
export type { BigIntTypecode, ElementOf, NumberTypecode, Typecode, TypedArrayOf } from './typecodes.js';
export {
  RawValue,
  type RawValueOptions,
  SynchronizedValue,
  Value,
  type ValueConstructor,
  type ValueHandle,
  type ValueOf,
  type ValueOptions,
  type ValueTypecode,
} from './value.js';
