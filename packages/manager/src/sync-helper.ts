/**
 * The module the sync bridge's helper thread runs (one helper per calling thread, see sync-call.ts).
 * It makes the async proxy call on its own connection while the calling thread blocks, and answers
 * with codec bytes (so weft handles in results arrive as themselves) and never throws: errors travel
 * as { name, message, stack } and the caller rebuilds them as the same classes as async calls get.
 */
import './proxy-handle.js';
import { actForOwner, CallChannel } from './call-channel.js';
import { decodePayload, encodePayload } from './payload.js';
import { SERVER_OBJECT, type SerializedError, serializeError } from './protocol.js';
import { authkeyFromHex, type RemoteRef } from './remote-ref.js';
import type { ObjectLocation } from './server.js';

export type SyncAnswer = { ok: true; value: Uint8Array } | { ok: false; error: SerializedError };

const locations = new Map<string, ObjectLocation>();

/**
 * Calls `method` on the object `ref` names, unless that call would need the caller's own thread
 * (the object is served or owned there): then answers a SyncDeadlockError without calling.
 */
export async function call(
  ref: RemoteRef,
  method: string,
  args: Uint8Array,
  caller: ObjectLocation & { ownerKey: string },
): Promise<SyncAnswer> {
  try {
    actForOwner(caller.ownerKey);
    const channel = await CallChannel.get(ref.address, authkeyFromHex(ref.authkey));
    const key = `${JSON.stringify(ref.address)}#${ref.id}`;
    let where = locations.get(key);
    if (!where) {
      where = (await channel.call(SERVER_OBJECT, 'locate', [ref.id])) as ObjectLocation;
      locations.set(key, where);
    }
    if (where.pid === caller.pid && where.thread === caller.thread) {
      return {
        ok: false,
        error: {
          name: 'SyncDeadlockError',
          message:
            `${method}Sync() would block forever: the object it calls (typeid '${ref.typeid}') is ` +
            `served by this very thread, whose event loop the call blocks. Use the async ${method}() ` +
            'here, or serve the object from a thread of its own (Manager.start, ObjectServer.start).',
        },
      };
    }
    const value = await channel.call(ref.id, method, decodePayload(args) as unknown[]);
    return { ok: true, value: encodePayload(value) };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}
