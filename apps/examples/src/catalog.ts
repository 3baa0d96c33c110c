/**
 * The catalog of the notes' snippets (the same rows as the project's EXAMPLES.md), in catalog order.
 * `npm run examples` runs them in this order; the tests check that every ID has its file.
 * A row with `dupOf` recreates the same snippet as another row: its file runs that example.
 */
export interface CatalogEntry {
  /** Catalog ID, e.g. `s1-12`: seed file number, then the snippet's position in it. */
  id: string;
  /** The rest of the example's file name: `src/<id>-<slug>.ts`. */
  slug: string;
  /** One line on what the example shows. */
  shows: string;
  /** The ID whose example this row shares. */
  dupOf?: string;
}

export const seeds: Record<string, string> = {
  s0: '000_35bfbc5fd545abd3.txt (multiprocessing, threading, distributed processes)',
  s1: '001_735ae49c9afa6657.txt (processes, IPC, pools)',
  s2: '002_c95671d694233dbc.txt (fork, Process, Pool, map, Queue)',
  s3: '003_a45aef1e4cf1acde.txt (synchronisation and communication)',
  s4: '004_10c85533a5432f39.txt (study notes: processes, threads, pools, futures)',
};

export const catalog: CatalogEntry[] = [
  {
    id: 's0-01',
    slug: 'fork-pids',
    shows: 'no fork in Node: a child in the process context prints its pid and its parent’s',
  },
  {
    id: 's0-02',
    slug: 'process-start-join',
    shows: 'Process(target, args), start, join: the child runs before the parent’s last line',
  },
  {
    id: 's0-03',
    slug: 'pool-apply-async',
    shows: 'Pool(4) with 5 applyAsync tasks: the 5th starts when one ends',
  },
  {
    id: 's0-04',
    slug: 'subprocess-communicate',
    shows: 'a child program fed on stdin, its output captured (subprocess.communicate)',
  },
  {
    id: 's0-05',
    slug: 'queue-writer-reader',
    shows: 'a writer and a reader process sharing a Queue; the endless reader is terminated',
  },
  { id: 's0-06', slug: 'thread-names', shows: 'a thread named LoopThread ticking 5 times, a second apart' },
  {
    id: 's0-07',
    slug: 'lock-balance',
    shows: 'a Lock keeps a shared balance at 0; without it the race shows',
  },
  {
    id: 's0-08',
    slug: 'deadlock-two-locks',
    shows: 'two workers take two locks in opposite order: the deadlock shown with timeouts',
  },
  { id: 's0-09', slug: 'thread-local', shows: 'local(): each thread sees only its own student' },
  { id: 's0-10', slug: 'async-io', shows: 'the same work done on one event loop with async functions' },
  {
    id: 's0-11',
    slug: 'task-master',
    shows: 'BaseManager serving two queues with authkey abc: master puts 10 tasks, reads 10 results',
  },
  {
    id: 's0-12',
    slug: 'task-worker',
    shows: 'the worker in its own OS process squares numbers; a wrong authkey is refused',
  },

  {
    id: 's1-01',
    slug: 'ten-processes-sleep',
    shows: '10 processes sleeping 2 s each finish in about 2 s, not 20',
  },
  {
    id: 's1-02',
    slug: 'thread-ident-per-process',
    shows: 'each process starts a thread: distinct thread idents',
  },
  { id: 's1-03', slug: 'info-main', shows: 'module name, parent pid and pid of the main process' },
  {
    id: 's1-04',
    slug: 'info-parent-child',
    shows: 'the same info from the parent and from a child: they differ',
  },
  { id: 's1-05', slug: 'thread-queue', shows: "a Queue between two threads: [42, null, 'heelo']" },
  {
    id: 's1-06',
    slug: 'child-cannot-see-parent-global',
    shows: 'a worker cannot see the parent’s variables: the error it gets',
  },
  {
    id: 's1-07',
    slug: 'unsendable-argument',
    shows: 'passing something that cannot cross to a worker fails at once with a clear error',
  },
  { id: 's1-08', slug: 'process-queue', shows: "a Queue between parent and child: [42, null, 'heelo']" },
  { id: 's1-09', slug: 'pipe-send-once', shows: 'Pipe: the child sends once, the parent receives it' },
  {
    id: 's1-10',
    slug: 'pipe-recv-once',
    shows: 'the child sends twice, the parent receives once: only the first message',
  },
  {
    id: 's1-11',
    slug: 'pipe-recv-twice',
    shows: 'the child sends twice, the parent receives twice: both messages',
  },
  {
    id: 's1-12',
    slug: 'pipe-recv-blocks',
    shows: 'a third receive would block forever: shown with poll and a timeout',
  },
  { id: 's1-13', slug: 'pipe-both-ways', shows: 'both ends of a Pipe send and receive' },
  { id: 's1-14', slug: 'manager-dict-list', shows: 'a Manager dict and list shared by 10 processes' },
  { id: 's1-15', slug: 'manager-dict-pids', shows: 'a Manager dict keyed by pid: 10 entries' },
  { id: 's1-16', slug: 'lock-print', shows: 'a Lock around print in 10 processes: whole lines, any order' },
  { id: 's1-17', slug: 'pool-apply-serial', shows: 'Pool(5).apply × 10 runs one task at a time' },
  {
    id: 's1-18',
    slug: 'pool-close-no-join',
    shows: 'applyAsync × 10, close() without join(): only end is printed',
  },
  { id: 's1-19', slug: 'pool-close-join', shows: 'applyAsync × 10, close(), join(): five at a time' },
  { id: 's1-20', slug: 'pool-callback', shows: 'applyAsync callbacks run in the main process' },

  { id: 's2-01', slug: 'fork', shows: 'fork (code elided in the note)', dupOf: 's0-01' },
  { id: 's2-02', slug: 'process', shows: 'Process(target=run_proc)', dupOf: 's0-02' },
  { id: 's2-03', slug: 'pool-apply-async', shows: 'Pool(4), applyAsync × 5', dupOf: 's0-03' },
  { id: 's2-04', slug: 'pool-map', shows: 'pool.map blocks until all 5 tasks are done' },
  { id: 's2-05', slug: 'queue-writer-reader', shows: 'Queue writer/reader', dupOf: 's0-05' },
  {
    id: 's2-06',
    slug: 'csv-import-pool-map',
    shows: 'CSV files made by the example, imported by Pool.map with even load',
  },

  {
    id: 's3-01',
    slug: 'pool-print-timing',
    shows: 'Pool(8), 16 tasks printing 5 × 0.2 s: total time printed',
  },
  {
    id: 's3-02',
    slug: 'pool-print-lock',
    shows: 'the same with a global Lock around the print: lines never interleave',
  },
  { id: 's3-03', slug: 'semaphore', shows: 'Semaphore(N): at most N holders at once' },
  {
    id: 's3-04',
    slug: 'global-list-not-shared',
    shows: 'a global list extended in two workers: the parent’s list is unchanged',
  },
  {
    id: 's3-05',
    slug: 'queue-lock-lists',
    shows: 'two workers send lists through a Queue; the parent joins them',
  },
  { id: 's3-06', slug: 'queue-methods', shows: 'every Queue method and both exceptions, Full and Empty' },
  {
    id: 's3-07',
    slug: 'duplex-pipe-join-timeout',
    shows: 'a receiver looping on recv: join(2000) returns, then the receiver is stopped',
  },
  { id: 's3-08', slug: 'one-way-pipe', shows: 'Pipe({ duplex: false }): sending on the receive end fails' },
  { id: 's3-09', slug: 'manager-dict-list-child', shows: 'a Manager dict and list filled by a child' },
  {
    id: 's3-10',
    slug: 'joinable-queue',
    shows: 'producer/consumer with JoinableQueue.taskDone(): join() returns when all are done',
  },
  { id: 's3-11', slug: 'os-pipe', shows: 'bytes through a one-way OS pipe between parent and child' },
  { id: 's3-12', slug: 'process-queue', shows: 'multiprocessing.Queue example', dupOf: 's1-08' },
  { id: 's3-13', slug: 'value-array', shows: 'a Value and an Array changed by a child' },
  {
    id: 's3-14',
    slug: 'connection-listener-client',
    shows: 'Listener/Client with an authkey; messages per second',
  },
  {
    id: 's3-15',
    slug: 'lock-semaphore-event-file',
    shows: 'Lock, Semaphore and Event around writes to one file: lines never interleave',
  },
  {
    id: 's3-16',
    slug: 'named-shared-memory',
    shows: 'a named shared block written by one worker, read by another',
  },
  { id: 's3-17', slug: 'lock-func', shows: 'func(lock, a) in two processes', dupOf: 's1-16' },
  { id: 's3-18', slug: 'mkfifo', shows: 'a named pipe (FIFO) between two processes on Linux' },
  {
    id: 's3-19',
    slug: 'file-lock',
    shows: 'whole-file locking between processes: what Node offers instead of fcntl',
  },
  { id: 's3-20', slug: 'popen-stdin', shows: 'subprocess.Popen writing to a child’s stdin', dupOf: 's0-04' },
  { id: 's3-21', slug: 'unix-socket-echo', shows: 'an AF_UNIX (Unix-domain socket) echo server and client' },

  { id: 's4-01', slug: 'fork-return', shows: 'fork return value', dupOf: 's0-01' },
  {
    id: 's4-02',
    slug: 'process-args',
    shows: "Process(target=f, args=('john',)): hello john, name and args",
  },
  { id: 's4-03', slug: 'join-waits', shows: 'join(): the child’s lines come before 父进程结束' },
  { id: 's4-04', slug: 'cpu-count', shows: 'cpuCount(): the core count' },
  {
    id: 's4-05',
    slug: 'process-subclass',
    shows: 'a Process subclass with an endless run(): stopped after a few ticks',
  },
  { id: 's4-06', slug: 'global-num', shows: 'a global changed in a child: child 101, parent 100' },
  { id: 's4-07', slug: 'queue-child-parent', shows: 'Queue: put in the child, get in the parent' },
  { id: 's4-08', slug: 'pipe-child-parent', shows: 'Pipe: send in the child, recv in the parent' },
  { id: 's4-09', slug: 'value-array', shows: "Value('d', 0.0) and Array('i', range(10)) changed by a child" },
  {
    id: 's4-10',
    slug: 'value-race',
    shows: 'two workers add to a shared Value without a lock: the race shows',
  },
  { id: 's4-11', slug: 'value-lock', shows: 'the same with a Lock: 1..5 then 8..20 in steps of 3' },
  { id: 's4-12', slug: 'string-value', shows: 'a shared string Value' },
  { id: 's4-13', slug: 'lock-try-finally', shows: 'print under a Lock with try/finally: whole lines' },
  { id: 's4-14', slug: 'flush', shows: 'flushing stdout in children: no output lost at exit' },
  { id: 's4-15', slug: 'pool-terminate', shows: 'Pool(4), 10 × applyAsync, close, join, terminate' },
  {
    id: 's4-16',
    slug: 'async-result-timeout',
    shows: 'applyAsync(f, [10]).get(1000) is 100; a 10 s sleep times out',
  },
  { id: 's4-17', slug: 'map-imap', shows: 'pool.map and pool.imap with next(timeout)' },
  {
    id: 's4-18',
    slug: 'join-before-get',
    shows: 'joining a child before getting its 1 MB message does not deadlock',
  },
  { id: 's4-19', slug: 'two-threads', shows: 'two threads: current task: thread 1/2' },
  { id: 's4-20', slug: 'thread-subclass', shows: 'a thread subclass with run(): the same output' },
  { id: 's4-21', slug: 'is-alive', shows: 'isAlive() and name before, during and after' },
  { id: 's4-22', slug: 'mutex-timeout', shows: 'a Lock acquired with a timeout by 5 threads: num 1..5' },
  { id: 's4-23', slug: 'rlock', shows: 'an RLock acquired twice by one thread: no deadlock' },
  { id: 's4-24', slug: 'condition-wait-for', shows: 'Condition.waitFor answered at a >>> prompt' },
  {
    id: 's4-25',
    slug: 'bounded-semaphore',
    shows: 'BoundedSemaphore(5) with 20 threads: never more than 5 at once',
  },
  { id: 's4-26', slug: 'event-prompt', shows: 'an Event set at a >>> prompt releases the waiters' },
  { id: 's4-27', slug: 'timer', shows: 'Timer(1000, hello): hello, world after 1 s' },
  { id: 's4-28', slug: 'queue-task-done', shows: 'Queue(5): put, get, taskDone, qsize, empty, full' },
  {
    id: 's4-29',
    slug: 'producer-consumer-condition',
    shows: 'producers and a consumer with a Condition and a Queue(10): a bounded run',
  },
  { id: 's4-30', slug: 'priority-queue', shows: 'PriorityQueue with tuples, in Python’s order' },
  {
    id: 's4-31',
    slug: 'download-threads',
    shows: '5 daemon download threads, taskDone and join, against a local HTTP server',
  },
  {
    id: 's4-32',
    slug: 'thread-pool-map-get',
    shows: 'a thread pool mapping an HTTP get over URLs of a local server',
  },
  {
    id: 's4-33',
    slug: 'thread-pool-executor',
    shows: 'ThreadPoolExecutor: submit, map, future.result() is 8',
  },
  {
    id: 's4-34',
    slug: 'futures-deadlock',
    shows: 'two futures waiting on each other: the deadlock reported with a timeout',
  },
  { id: 's4-35', slug: 'singleton', shows: 'a double-checked-locking singleton: one instance everywhere' },
  {
    id: 's4-36',
    slug: 'process-vs-thread',
    shows: 'normal vs threads vs processes on i + i**2 + i**3: three timings, one result',
  },
];

/** The source file (relative to `src/`) of a catalog entry. */
export function fileOf(entry: CatalogEntry): string {
  return `${entry.id}-${entry.slug}.ts`;
}

/**
 * The file to run for an entry, next to this module: `dist/<id>-<slug>.js` after the build (plain
 * Node), or `src/<id>-<slug>.ts` when this module itself runs from source under tsx.
 */
export function scriptOf(entry: CatalogEntry): URL {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${entry.id}-${entry.slug}${extension}`, import.meta.url);
}

/** The catalog entry of an ID, or undefined. */
export function findEntry(id: string): CatalogEntry | undefined {
  return catalog.find((entry) => entry.id === id);
}
