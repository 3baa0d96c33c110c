/**
 * Items to bytes and back, through `@weft/codec` (structured-clone semantics plus weft handles, so
 * a Lock or a Queue put in a queue arrives as the same Lock or Queue).
 */
export { decode as decodeItem, encode as encodeItem, encodeWith, registerHandleKind } from '@weft/codec';
