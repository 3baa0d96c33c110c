// weft: every package's public API in one import, like Python's `multiprocessing` module.
// `export *` brings each package in whole; the explicit exports below settle the names that more than
// one package exports (an explicit export wins over `export *`). The plain name goes to the class
// Python users reach for at `multiprocessing.<name>`; the others keep a package prefix.
// See README.md, "Names that more than one package exports".

// The Atomics layer is the machinery under everything; its `wait` would shadow concurrent.futures'
// `wait`, so it is only reachable as a namespace: `atomics.wait`, `atomics.notify`, `atomics.waitAsync`.
export * as atomics from '@weft/atomics-sync-shim';
export * from '@weft/codec';
export * from '@weft/executor';
// concurrent.futures.wait(fs, timeout, return_when)
export { TimeoutError as FuturesTimeoutError, wait } from '@weft/executor';
// Options of Lock.acquire(); a Manager's lock proxies take the manager's.
export type { AcquireOptions } from '@weft/lock';
export * from '@weft/lock';
// threading.BrokenBarrierError: raised by Barrier; a Manager's Barrier proxy raises the manager's.
// ValueError (Python's built-in): misuse such as releasing an unheld Lock or a BoundedSemaphore too often.
export {
  BrokenBarrierError,
  TimeoutError as LockTimeoutError,
  ValueError,
  ValueError as LockValueError,
} from '@weft/lock';
export type { AcquireOptions as ManagerAcquireOptions } from '@weft/manager';
export * from '@weft/manager';
export {
  BrokenBarrierError as ManagerBrokenBarrierError,
  ClosedError as ManagerClosedError,
  Connection as ManagerConnection,
  Empty as ManagerEmpty,
  EOFError as ManagerEOFError,
  Full as ManagerFull,
  TimeoutError as ManagerTimeoutError,
} from '@weft/manager';
export * from '@weft/pipe';
// multiprocessing.connection.Connection: the two ends of a Pipe(). Listener/Client connections are
// the manager's Connection class.
export {
  Connection,
  EOFError,
  TimeoutError as PipeTimeoutError,
  ValueError as PipeValueError,
} from '@weft/pipe';
export * from '@weft/pool';
// multiprocessing.TimeoutError: what AsyncResult.get(timeout) raises.
export { TimeoutError, ValueError as PoolValueError } from '@weft/pool';
export * from '@weft/queue';
// queue.Empty / queue.Full: raised by weft's own queues. A Manager's queue proxies raise the manager's.
export { Empty, Full, ValueError as QueueValueError } from '@weft/queue';
export * from '@weft/shared-memory';
// Using a closed SharedMemory block / a closed manager connection.
export { ClosedError, ValueError as SharedMemoryValueError } from '@weft/shared-memory';
