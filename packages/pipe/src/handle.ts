/**
 * Connections cross threads as handles: the codec sends the rings' and the ends' SharedArrayBuffers
 * (by reference), and the receiving thread rebuilds a copy of the same end over the same memory.
 */
import { ByteRing } from '@weft/queue';
import { Connection, makeConnection, partsOf } from './connection.js';
import { OSError } from './errors.js';
import { registerHandleKind } from './wire.js';

export interface ConnectionHandle {
  read: SharedArrayBuffer | null;
  write: SharedArrayBuffer | null;
  ends: SharedArrayBuffer;
  index: 0 | 1;
}

/**
 * Counts a new copy of the end (it is open from now on, even while in flight) and describes it.
 * @throws `OSError` for a closed connection.
 */
export function connectionToHandle(connection: Connection): ConnectionHandle {
  if (connection.closed) throw new OSError('handle is closed: a closed connection cannot be passed on');
  const { read, write, ends, index } = partsOf(connection);
  Atomics.add(ends, index, 1);
  return {
    read: read ? read.buffer : null,
    write: write ? write.buffer : null,
    ends: ends.buffer as SharedArrayBuffer,
    index,
  };
}

/** The copy described by `handle` (already counted by `connectionToHandle`). */
export function connectionFromHandle(handle: ConnectionHandle): Connection {
  return makeConnection({
    read: handle.read ? ByteRing.attach(handle.read) : undefined,
    write: handle.write ? ByteRing.attach(handle.write) : undefined,
    ends: new Int32Array(handle.ends),
    index: handle.index,
  });
}

registerHandleKind<Connection, ConnectionHandle>({
  name: '@weft/pipe#Connection',
  type: Connection,
  toHandle: connectionToHandle,
  fromHandle: connectionFromHandle,
});
