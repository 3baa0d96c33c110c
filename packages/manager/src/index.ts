import './proxy-handle.js';

export { type Address, DEFAULT_HOST } from './address.js';
export type { AuthKey } from './authkey.js';
export { BaseManager, type BaseManagerOptions, ManagerServer } from './base-manager.js';
export { BaseProxy, type CallOptions, type ProxyOptions } from './base-proxy.js';
export { Connection } from './connection.js';
export {
  AuthenticationError,
  BrokenBarrierError,
  ClosedError,
  Empty,
  EOFError,
  Full,
  MemoryError,
  ProtocolError,
  RemoteError,
  SyncDeadlockError,
  TimeoutError,
} from './errors.js';
export { DEFAULT_MAX_FRAME_SIZE } from './frame-reader.js';
export { DEFAULT_LIMITS, type ServerLimits } from './limits.js';
export { Client, type ConnectionOptions, Listener, type ListenerOptions } from './listener.js';
export { type ArrayTypecode, Manager } from './manager.js';
export {
  RemoteBarrier,
  RemoteBoundedSemaphore,
  RemoteCondition,
  RemoteConnection,
  RemoteEvent,
  RemoteHeld,
  RemoteLock,
  RemoteQueue,
  RemoteRawSharedArray,
  RemoteRawValue,
  RemoteRLock,
  RemoteSemaphore,
  RemoteSharedArray,
  RemoteValue,
} from './primitive-proxies.js';
export {
  type AcquireOptions,
  ArrayProxy,
  BarrierProxy,
  type BlockOptions,
  BoundedSemaphoreProxy,
  ConditionProxy,
  DictProxy,
  EventProxy,
  JoinableQueueProxy,
  ListProxy,
  LockProxy,
  NamespaceProxy,
  type Proxied,
  QueueProxy,
  RLockProxy,
  SemaphoreProxy,
  type SyncAcquireOptions,
  type SyncBlockOptions,
  type SyncTimeoutOptions,
  type TimeoutOptions,
  ValueProxy,
} from './proxies.js';
export { closeDefaultObjectServer, connectRemote, ObjectServer, serveObject } from './remote.js';
export { isRemoteRef, type RemoteRef } from './remote-ref.js';
export { primitiveTypeid } from './served-primitives.js';
