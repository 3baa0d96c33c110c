/**
 * Blocking proxy calls (`queue.getSync()`, `lock.acquireSync()` …). A thread cannot block and read
 * its own socket, so the call runs on the sync bridge of @weft/atomics-sync-shim: a helper thread
 * (one per calling thread, unref'd, started on the first blocking call) makes the async call on a
 * connection of its own while this thread waits in Atomics.wait. Works alike on the main thread, in
 * workers and in child processes.
 */
import { threadId } from 'node:worker_threads';
import { createSyncBridge, type SyncBridge } from '@weft/atomics-sync-shim';
import { rebuildError, threadOwnerKey } from './call-channel.js';
import { SyncDeadlockError } from './errors.js';
import { decodePayload, encodePayload } from './payload.js';
import type { RemoteRef } from './remote-ref.js';
import { isServedByThisThread } from './server.js';
import type * as Helper from './sync-helper.js';

let bridge: SyncBridge<typeof Helper> | undefined;

function helperUrl(): URL {
  // The ESM build, whichever build this is: the bridge's helper imports it as an ES module.
  return new URL('./sync-helper.js', import.meta.url);
}

/**
 * Calls `method` on the object `ref` names and blocks this thread until it settles.
 * @returns the method's result. @throws what the async call would reject with (same classes);
 * SyncDeadlockError if the object is served by this very thread.
 */
export function callBlocking(ref: RemoteRef, method: string, args: unknown[]): unknown {
  if (isServedByThisThread(ref.address)) {
    throw new SyncDeadlockError(
      `${method}Sync() would block forever: the object it calls (typeid '${ref.typeid}') is served by ` +
        `this very thread (getServer().serveForever()), whose event loop the call blocks. Use the ` +
        `async ${method}() here, or serve from a thread of its own (start()).`,
    );
  }
  if (!bridge || bridge.closed)
    bridge = createSyncBridge<typeof Helper>(helperUrl(), { name: 'weft-manager-sync' });
  const answer = bridge.call('call', ref, method, encodePayload(args), {
    pid: process.pid,
    thread: threadId,
    ownerKey: threadOwnerKey(),
  });
  if (answer.ok) return decodePayload(answer.value);
  throw rebuildError(answer.error);
}
