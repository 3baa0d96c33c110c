/**
 * What a Connection needs from the bytes underneath it: frames out, frames in. Two implementations:
 * a socket (TCP or Unix) and a shared-memory ring between two threads of one process.
 */

/** Receives what a transport reads. */
export interface FrameSink {
  frame(bytes: Uint8Array): void;
  /** No more frames: the peer closed (error undefined) or broke the protocol (error set). */
  end(error?: Error): void;
}

export interface FrameTransport {
  /** Begin delivering frames to `sink` (frames that arrived earlier are delivered first). */
  start(sink: FrameSink): void;
  /** Sends one frame (the transport adds the length header). Never blocks; buffers if needed. */
  write(payload: Uint8Array): void;
  /** While true, the transport keeps its thread alive waiting for frames. */
  setActive(active: boolean): void;
  /** Stops both directions; the peer sees end of stream after what was already written. */
  close(): void;
  /**
   * A received frame's value. The transport decides how far its bytes are trusted: a socket's are
   * decoded as data only (`decodeStrict`), a shared-memory ring's (a thread of this process) with
   * handles.
   */
  decode(frame: Uint8Array): unknown;
  /** 'socket' or 'shared-memory': which path the frames take. */
  readonly kind: 'socket' | 'shared-memory';
}
