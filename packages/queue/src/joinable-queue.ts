import { Queue } from './queue.js';

/**
 * Python's `multiprocessing.JoinableQueue`: a `Queue` whose consumers call `taskDone()` for each
 * item they finish, so that a producer can `join()` until all are done. (Every weft queue counts
 * tasks, as Python's `queue.Queue` does; this name says that the program relies on it.)
 */
export class JoinableQueue<T = unknown> extends Queue<T> {}
