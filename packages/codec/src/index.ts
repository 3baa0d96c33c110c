export {
  adoptBuffers,
  type BufferSnapshot,
  bufferSnapshot,
  directory as openBufferDirectory,
} from './buffer-directory.js';
export { copyBytes, copyOfBytes } from './copy-bytes.js';
export { type DecodeOptions, decode } from './decode.js';
export {
  type EncodedParts,
  type EncodeOptions,
  encode,
  encodeInto,
  encodeWith,
  encodeWithParts,
} from './encode.js';
export { DataCloneError, DecodeError } from './errors.js';
export { type HandleKind, isHandleKindRegistered, registerHandleKind } from './handles.js';
