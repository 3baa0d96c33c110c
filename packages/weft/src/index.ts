// weft: every package's public API in one import, like Python's `multiprocessing` module.
// `export *` brings each package in whole; the explicit exports below settle the names that more than
// one package exports (an explicit export wins over `export *`). The plain name goes to the class
// Python users reach for at `multiprocessing.<name>`; the others keep a package prefix.
// See README.md, "Names that more than one package exports".

// The Atomics layer is the machinery under everything; its `wait` would shadow concurrent.futures'
// `wait`, so it is only reachable as a namespace: `atomics.wait`, `atomics.notify`, `atomics.waitAsync`.
export * as atomics from '@weft/atomics-sync-shim';
// Python's built-ins, defined once in the base layer: every package raises these same classes, so
// `error instanceof TimeoutError` holds for a lock's, a pool's, a pipe's or a future's timeout.
export { RuntimeError, TimeoutError, ValueError } from '@weft/atomics-sync-shim';
export * from '@weft/codec';
export * from '@weft/executor';
// concurrent.futures.wait(fs, timeout, return_when)
export { wait } from '@weft/executor';
// Options of Lock.acquire(); a Manager's lock proxies take the manager's.
export type { AcquireOptions } from '@weft/lock';
export * from '@weft/lock';
// threading.BrokenBarrierError: raised by Barrier and by a Manager's Barrier proxies alike.
export { BrokenBarrierError } from '@weft/lock';
export type { AcquireOptions as ManagerAcquireOptions } from '@weft/manager';
export * from '@weft/manager';
export {
  ClosedError as ManagerClosedError,
  Connection as ManagerConnection,
} from '@weft/manager';
export * from '@weft/pipe';
// multiprocessing.connection.Connection: the two ends of a Pipe(). Listener/Client connections are
// the manager's Connection class.
export { Connection, EOFError } from '@weft/pipe';
export * from '@weft/pool';
export * from '@weft/queue';
// queue.Empty / queue.Full: raised by weft's queues and by a Manager's queue proxies alike.
export { Empty, Full } from '@weft/queue';
export * from '@weft/shared-memory';
// Using a closed SharedMemory block / a closed manager connection.
export { ClosedError } from '@weft/shared-memory';
