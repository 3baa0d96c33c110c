/**
 * Length-prefixed frames: a 4-byte big-endian unsigned length, then that many bytes (Python's
 * `multiprocessing.connection` uses the same header). The reader refuses a length above its limit
 * before buffering anything, so a peer cannot make us allocate 4 GB by sending a header.
 */
import { ProtocolError } from './errors.js';

/** Frames larger than this are refused unless the Listener/Client is given another `maxFrameSize`. */
export const DEFAULT_MAX_FRAME_SIZE = 64 * 1024 * 1024;

export const HEADER_BYTES = 4;

/** The 4-byte header for a frame of `length` bytes. */
export function frameHeader(length: number): Uint8Array {
  const header = new Uint8Array(HEADER_BYTES);
  new DataView(header.buffer).setUint32(0, length, false);
  return header;
}

/** Cuts a byte stream into frames; `push` returns the frames completed by a chunk. */
export class FrameReader {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private expected = -1;

  constructor(private readonly maxFrameSize: () => number) {}

  /**
   * Bytes of an unfinished frame held, its header counted even once parsed (a truncated frame at end
   * of stream shows up here); 0 exactly at a frame boundary.
   */
  get pending(): number {
    return this.buffered + (this.expected >= 0 ? HEADER_BYTES : 0);
  }

  /** @throws ProtocolError when a header announces a frame over the limit. */
  push(chunk: Uint8Array, out: Uint8Array[]): void {
    if (chunk.byteLength === 0) return;
    this.chunks.push(chunk);
    this.buffered += chunk.byteLength;
    for (;;) {
      if (this.expected < 0) {
        if (this.buffered < HEADER_BYTES) return;
        const header = this.take(HEADER_BYTES);
        const length = ((header[0]! << 24) | (header[1]! << 16) | (header[2]! << 8) | header[3]!) >>> 0;
        const limit = this.maxFrameSize();
        if (length > limit) {
          throw new ProtocolError(`frame of ${length} bytes exceeds the limit of ${limit} bytes`);
        }
        this.expected = length;
      }
      if (this.buffered < this.expected) return;
      out.push(this.take(this.expected));
      this.expected = -1;
    }
  }

  private take(n: number): Uint8Array {
    const first = this.chunks[0];
    if (first !== undefined && first.byteLength >= n) {
      const result = first.subarray(0, n);
      if (first.byteLength === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      this.buffered -= n;
      return result;
    }
    const result = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0]!;
      const part = Math.min(chunk.byteLength, n - filled);
      result.set(part === chunk.byteLength ? chunk : chunk.subarray(0, part), filled);
      filled += part;
      if (part === chunk.byteLength) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(part);
    }
    this.buffered -= n;
    return result;
  }
}
