export {
  adoptBuffers,
  type BufferSnapshot,
  bufferSnapshot,
  directory as openBufferDirectory,
} from './buffer-directory.js';
export { copyBytes, copyOfBytes } from './copy-bytes.js';
export { type DecodeOptions, decode, decodeStrict } from './decode.js';
export {
  type EncodedParts,
  type EncodeOptions,
  encode,
  encodeInto,
  encodeWith,
  encodeWithParts,
} from './encode.js';
export { DataCloneError, DecodeError } from './errors.js';
export {
  MAX_RESIZABLE_BYTE_LENGTH,
  STRICT_RESERVE_ALLOWANCE,
  STRICT_SPARSE_ALLOWANCE,
} from './format.js';
export { type HandleKind, isHandleKindRegistered, registerHandleKind } from './handles.js';
