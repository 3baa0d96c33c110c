/**
 * Entry of the thread a manager's server runs on (Manager.start, BaseManager.start): a worker of
 * its own, so the owner's event loop — even blocked in a Sync call — never delays a client.
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import type { Address } from './address.js';
import './proxy-handle.js';
import { builtinFactories } from './builtin-types.js';
import { ClosedError } from './errors.js';
import type { ServerLimits } from './limits.js';
import { type RelayReply, ServerSide } from './owned-objects.js';
import { decodePayload } from './payload.js';
import { proxyFor } from './proxies.js';
import { authkeyToHex } from './remote-ref.js';
import { ServedPrimitives, shareResult } from './served-primitives.js';
import { ProxyServer } from './server.js';

export interface ServerThreadData {
  address: Address;
  authkey: Uint8Array;
  builtins: boolean;
  /** Typeids whose callable lives in the owner thread. */
  typeids: string[];
  maxFrameSize: number | undefined;
  handshakeTimeout: number | undefined;
  limits: ServerLimits | undefined;
  /** The owner's threadId: where relayed objects live. */
  ownerThread: number;
  port: MessagePort;
}

/** Owner -> server thread. */
export type OwnerMessage =
  | RelayReply
  | { type: 'serve'; requestId: number; typeid: string; key: number; handle: Uint8Array | undefined }
  | { type: 'shutdown' };

/** Server thread -> owner (besides relay requests). */
export type ServerMessage =
  | { type: 'ready'; address: Address }
  | { type: 'failed'; message: string; name: string }
  | { type: 'served'; requestId: number; id: number }
  | { type: 'shutdown-request' }
  | { type: 'closed' };

const data = workerData as ServerThreadData;
const port = data.port;
const authkeyHex = authkeyToHex(data.authkey);
const primitives = new ServedPrimitives((typeid, target) => server.addObject(typeid, target));

const server: ProxyServer = new ProxyServer(data.address, {
  authkey: data.authkey,
  ...(data.maxFrameSize !== undefined ? { maxFrameSize: data.maxFrameSize } : {}),
  ...(data.handshakeTimeout !== undefined ? { handshakeTimeout: data.handshakeTimeout } : {}),
  ...(data.limits !== undefined ? { limits: data.limits } : {}),
  ownerThread: data.ownerThread,
  shareResult: (value) =>
    shareResult(value, primitives, (id, typeid) =>
      proxyFor({ address: server.address, authkey: authkeyHex, id, typeid }),
    ),
  onShutdownRequest: () => port.postMessage({ type: 'shutdown-request' } satisfies ServerMessage),
});
const relay = new ServerSide(port);
const servedKeys = new Map<number, number>();

if (data.builtins)
  for (const [typeid, factory] of Object.entries(builtinFactories(server.limits)))
    server.register(typeid, factory);
for (const typeid of data.typeids) {
  server.register(
    typeid,
    relay.factory(
      typeid,
      (target) => server.addObject(typeid, target),
      (call) => server.addRelayed(typeid, call),
    ),
  );
}

port.on('message', (message: OwnerMessage) => {
  switch (message.type) {
    case 'reply':
      relay.onReply(message);
      break;
    case 'serve': {
      let id = servedKeys.get(message.key);
      if (id === undefined) {
        const { key } = message;
        id = message.handle
          ? primitives.serve(message.typeid, decodePayload(message.handle) as object)
          : server.addRelayed(message.typeid, (method, args) => relay.relayCall(key, method, args));
        servedKeys.set(message.key, id);
      }
      port.postMessage({ type: 'served', requestId: message.requestId, id } satisfies ServerMessage);
      break;
    }
    case 'shutdown':
      server.close();
      relay.close(new ClosedError('the manager is shutting down'));
      port.postMessage({ type: 'closed' } satisfies ServerMessage);
      port.close();
      break;
  }
});

server.ready().then(
  (address) => port.postMessage({ type: 'ready', address } satisfies ServerMessage),
  (error: Error) => {
    port.postMessage({ type: 'failed', message: error.message, name: error.name } satisfies ServerMessage);
    port.close();
  },
);
