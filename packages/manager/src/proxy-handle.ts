/**
 * Proxies are weft handles: a proxy inside a value sent through a Queue, a Pipe, a pool's arguments or
 * another proxy arrives as a proxy to the same served object (it reconnects from its new thread or
 * process). Only the RemoteRef travels — plain data, no shared memory — so this works across
 * processes too, and is the one kind strict (network) decoding accepts.
 */
import { registerHandleKind } from '@weft/codec';
import { BaseProxy } from './base-proxy.js';
import { proxyFor } from './proxies.js';
import { isRemoteRef, type RemoteRef } from './remote-ref.js';

registerHandleKind<BaseProxy, RemoteRef>({
  name: '@weft/manager#Proxy',
  type: BaseProxy,
  // A RemoteRef is plain data, and a proxy connects only when it is called: the one kind a socket
  // peer may send (Python's managers too send proxies inside values).
  dataOnly: true,
  toHandle: (proxy) => ({ ...proxy.ref, address: proxy.ref.address }),
  fromHandle: (ref) => {
    if (!isRemoteRef(ref)) throw new TypeError('malformed manager proxy handle');
    return proxyFor(ref);
  },
});
