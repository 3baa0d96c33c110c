/** Values to bytes and back, through `@weft/codec` (structured-clone semantics plus weft handles). */
export { decode as decodeValue, encodeWith, encodeWithParts, registerHandleKind } from '@weft/codec';
