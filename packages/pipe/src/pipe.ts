import { ByteRing } from '@weft/queue';
import { type Connection, makeConnection } from './connection.js';
import { ENDS_BYTES } from './end-copies.js';

export interface PipeOptions {
  /** True (default): both ends send and receive. False: `[receiveOnly, sendOnly]`, like Python. */
  duplex?: boolean | undefined;
}

/**
 * Python's `multiprocessing.Pipe`: two connected ends over shared memory. Pass one end to a worker;
 * what one end sends the other receives, in order.
 * @returns `[conn1, conn2]`; with `duplex: false`, `conn1` only receives and `conn2` only sends.
 */
export function Pipe(options: PipeOptions = {}): [Connection, Connection] {
  const ends = new Int32Array(new SharedArrayBuffer(ENDS_BYTES));
  ends[0] = 1;
  ends[1] = 1;
  if (options.duplex ?? true) {
    const toSecond = ByteRing.create();
    const toFirst = ByteRing.create();
    return [
      makeConnection({ read: toFirst, write: toSecond, ends, index: 0 }),
      makeConnection({ read: toSecond, write: toFirst, ends, index: 1 }),
    ];
  }
  const ring = ByteRing.create();
  return [
    makeConnection({ read: ring, write: undefined, ends, index: 0 }),
    makeConnection({ read: undefined, write: ring, ends, index: 1 }),
  ];
}
