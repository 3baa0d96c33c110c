/**
 * Values <-> bytes for tasks and results, with fast paths for what pools move most: a number, and an
 * array of numbers (the `args` of `f(x)`, a chunk of `map` over numbers). Everything else goes through
 * @weft/codec (structured-clone semantics plus weft handles: a Lock in `args` arrives as the same Lock).
 *
 * An encoded payload is a tag plus bytes; Float64 payloads are written straight into shared memory at
 * an 8-byte aligned offset, so a number never passes through an intermediate buffer.
 *
 * The codec is installed, not imported: the main thread's modules install it as they load, while a
 * worker loads it on first need (worker.ts), so that a worker whose tasks move only numbers never pays
 * its start-up cost.
 */
import type * as Codec from '@weft/codec';

export const TAG_UNDEFINED = 0;
export const TAG_NUMBER = 1;
export const TAG_NUMBER_ARRAY = 2;
export const TAG_CODEC = 3;
export const TAG_JSON = 4;

export interface Encoded {
  tag: number;
  /** Bytes this payload occupies. */
  size: number;
  number: number;
  numbers: ArrayLike<number> | undefined;
  bytes: Uint8Array | undefined;
}

interface CodecApi {
  encode(value: unknown, options?: { root?: string }): Uint8Array;
  decode(bytes: Uint8Array): unknown;
}

let installed: CodecApi | undefined;

/** Makes `codec` the one this thread's payloads go through. */
export function installCodec(codec: typeof Codec): void {
  const api = codec as unknown as Partial<CodecApi>;
  if (typeof api.encode !== 'function' || typeof api.decode !== 'function') {
    throw new Error('@weft/codec does not provide encode/decode (is it built?)');
  }
  installed = api as CodecApi;
}

/** Whether the codec is installed in this thread. */
export function codecInstalled(): boolean {
  return installed !== undefined;
}

function codecApi(): CodecApi {
  if (installed === undefined) throw new Error('internal: @weft/codec is not installed in this thread');
  return installed;
}

/** Whether encoding `value` goes through the codec (it is not undefined, a number or an array of numbers). */
export function needsCodec(value: unknown): boolean {
  if (value === undefined || typeof value === 'number') return false;
  return !(Array.isArray(value) && allNumbers(value));
}

/** Decodes codec bytes already copied out of shared memory. */
export function decodeCodecBytes(bytes: Uint8Array): unknown {
  return codecApi().decode(bytes);
}

/**
 * Encodes `value` (the codec's rules; numbers and arrays of numbers take a fast path).
 * @param root what a DataCloneError's path starts with (`args` gives `args[0].cb is a function`).
 * @throws DataCloneError naming the path of a value that cannot cross.
 */
export function encodePayload(value: unknown, root?: string): Encoded {
  if (value === undefined)
    return { tag: TAG_UNDEFINED, size: 0, number: 0, numbers: undefined, bytes: undefined };
  if (typeof value === 'number')
    return { tag: TAG_NUMBER, size: 8, number: value, numbers: undefined, bytes: undefined };
  if (Array.isArray(value) && allNumbers(value)) {
    return { tag: TAG_NUMBER_ARRAY, size: value.length * 8, number: 0, numbers: value, bytes: undefined };
  }
  return encodeOther(value, root);
}

const scratch: Encoded = { tag: 0, size: 0, number: 0, numbers: undefined, bytes: undefined };

/**
 * Like `encodePayload`, but numbers and arrays of numbers reuse one scratch object: for callers that
 * write the payload before encoding anything else (the hot path: no garbage per task).
 */
export function encodePayloadTransient(value: unknown, root?: string): Encoded {
  if (typeof value === 'number') {
    scratch.tag = TAG_NUMBER;
    scratch.size = 8;
    scratch.number = value;
    return scratch;
  }
  if (Array.isArray(value) && allNumbers(value)) {
    scratch.tag = TAG_NUMBER_ARRAY;
    scratch.size = value.length * 8;
    scratch.numbers = value;
    return scratch;
  }
  return encodePayload(value, root);
}

/** `encoded` itself, or a copy of it if it is the transient scratch (for a payload kept for later). */
export function keepEncoded(encoded: Encoded): Encoded {
  return encoded === scratch ? { ...encoded } : encoded;
}

function encodeOther(value: unknown, root: string | undefined): Encoded {
  const bytes = codecApi().encode(value, root === undefined ? undefined : { root });
  return { tag: TAG_CODEC, size: bytes.byteLength, number: 0, numbers: undefined, bytes };
}

function allNumbers(values: unknown[]): boolean {
  // A hole reads as undefined, so a sparse array never takes the fast path (its holes stay holes).
  for (let i = 0; i < values.length; i++) {
    if (typeof values[i] !== 'number') return false;
  }
  return true;
}

/**
 * Views over one shared buffer, made once: creating a typed array per task costs more than the task
 * (and its garbage dominates). Over a growable buffer they track its length.
 */
export interface MemoryViews {
  bytes: Uint8Array;
  numbers: Float64Array;
}

export function viewsOf(memory: SharedArrayBuffer): MemoryViews {
  return { bytes: new Uint8Array(memory), numbers: new Float64Array(memory) };
}

/** Writes `encoded` at `offset` (8-byte aligned) of the viewed memory. */
export function writePayload(views: MemoryViews, offset: number, encoded: Encoded): void {
  switch (encoded.tag) {
    case TAG_NUMBER:
      views.numbers[offset >> 3] = encoded.number;
      return;
    case TAG_NUMBER_ARRAY: {
      const numbers = encoded.numbers!;
      const n = numbers.length;
      const f64 = views.numbers;
      const at = offset >> 3;
      if (n < 64) for (let i = 0; i < n; i++) f64[at + i] = numbers[i]!;
      else f64.set(numbers, at);
      return;
    }
    case TAG_CODEC:
    case TAG_JSON:
      views.bytes.set(encoded.bytes!, offset);
      return;
  }
}

/** Reads a payload written by `writePayload`; arrays of numbers come back as plain arrays. */
export function readPayload(views: MemoryViews, offset: number, size: number, tag: number): unknown {
  switch (tag) {
    case TAG_UNDEFINED:
      return undefined;
    case TAG_NUMBER:
      return views.numbers[offset >> 3];
    case TAG_NUMBER_ARRAY: {
      const n = size >> 3;
      const at = offset >> 3;
      const f64 = views.numbers;
      const out = new Array<number>(n);
      for (let i = 0; i < n; i++) out[i] = f64[at + i]!;
      return out;
    }
    case TAG_JSON:
      return JSON.parse(new TextDecoder().decode(views.bytes.slice(offset, offset + size)));
    default:
      // Copy out of shared memory first: the region is reused as soon as this call returns.
      return codecApi().decode(views.bytes.slice(offset, offset + size));
  }
}

/** A plain array of `view`'s numbers. */
export function numbersToArray(view: Float64Array): number[] {
  const n = view.length;
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = view[i]!;
  return out;
}

/** Encodes to standalone bytes (for messages): the same tags, in a fresh buffer. */
export function encodeDetached(value: unknown, root?: string): { tag: number; bytes: Uint8Array } {
  return detach(encodePayload(value, root));
}

/** Standalone bytes of an already encoded payload. */
export function detach(encoded: Encoded): { tag: number; bytes: Uint8Array } {
  if (encoded.tag === TAG_CODEC || encoded.tag === TAG_JSON)
    return { tag: encoded.tag, bytes: encoded.bytes! };
  const buffer = new ArrayBuffer(encoded.size);
  if (encoded.tag === TAG_NUMBER) new Float64Array(buffer)[0] = encoded.number;
  else if (encoded.tag === TAG_NUMBER_ARRAY) new Float64Array(buffer).set(encoded.numbers!);
  return { tag: encoded.tag, bytes: new Uint8Array(buffer) };
}

/** Decodes what `encodeDetached` made. */
export function decodeDetached(tag: number, bytes: Uint8Array): unknown {
  switch (tag) {
    case TAG_UNDEFINED:
      return undefined;
    case TAG_NUMBER:
      return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + 8))[0];
    case TAG_NUMBER_ARRAY: {
      const aligned =
        bytes.byteOffset % 8 === 0
          ? new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8)
          : new Float64Array(bytes.slice().buffer);
      return numbersToArray(aligned);
    }
    case TAG_JSON:
      return JSON.parse(new TextDecoder().decode(bytes));
    default:
      return codecApi().decode(bytes);
  }
}

/** Encodes a JSON-safe value (error descriptions) without the codec. */
export function encodeJson(value: unknown): Encoded {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return { tag: TAG_JSON, size: bytes.byteLength, number: 0, numbers: undefined, bytes };
}
