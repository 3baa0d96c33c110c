/**
 * What every bench suite is made of, and the measuring tools they share.
 *
 * A suite is a file `src/suites/<pkg>.ts` whose default export is a `Suite`. Each `Row` measures one
 * workload with weft and with one or more anchors (postMessage, piscina, tinypool, Python, …) in the
 * same run; `main.ts` runs them alternately (3 rounds, median) and prints figures, ratios and goals.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Which way is better for a row's figure. */
export type Better = 'higher' | 'lower';

/** Runs a workload once and returns its figure, in the row's unit. */
export type Measure = () => Promise<number> | number;

/**
 * What a row must reach:
 * - `{ anchor, ratio }`: weft must be at least `ratio` times better than that anchor (ratio as printed);
 * - `{ max }` / `{ min }`: an absolute bound on weft's own figure, in the row's unit (e.g. CPU < 1 % of a
 *   core is `{ max: 1 }` with unit '% of a core'). Both bounds may be given together.
 */
export type Goal =
  | { anchor: string; ratio: number }
  | { max: number; min?: number }
  | { min: number; max?: number };

export interface Row {
  /** What is measured, e.g. 'Queue 1 producer -> 1 consumer, [42,null,"hello"]'. */
  name: string;
  /** Unit of the figures: 'msgs/s', 'µs', 'ns', 'tasks/s', 'GB/s', '% of a core', 'MB', … */
  unit: string;
  better: Better;
  /** The weft workload. */
  weft: Measure;
  /** The same workload done another way, measured in the same run; may be empty for an absolute goal. */
  anchors?: Record<string, Measure>;
  goal?: Goal | Goal[];
  /** Rounds to run (default 3); the median is reported. */
  rounds?: number;
}

export interface Suite {
  name: string;
  rows: Row[];
  /** Runs once before the suite's rows (e.g. to start a pool that every row shares). */
  setup?: () => Promise<void> | void;
  /** Runs once after the suite's rows, even when one failed. */
  teardown?: () => Promise<void> | void;
}

/** The folder of apps/bench. */
export const benchRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where bench workers live: `src/workers/<pkg>-*.mjs`. */
export const workersDir = join(benchRoot, 'src', 'workers');
/** Where Python anchors live: `python/<pkg>_*.py`. */
export const pythonDir = join(benchRoot, 'python');

// ---------------------------------------------------------------------------------------------------
// Statistics

/** The p-th percentile (0..100) of `values`, interpolated linearly; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low]!;
  return lowValue + (sorted[high]! - lowValue) * (rank - low);
}

/** The median of `values`; NaN for no values. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

// ---------------------------------------------------------------------------------------------------
// Timing

export interface OpsMeasurement {
  /** Calls of `fn` made while measuring (after the warm-up). */
  iterations: number;
  elapsedMs: number;
  opsPerSecond: number;
  microsPerOp: number;
  nanosPerOp: number;
}

export interface MeasureOpsOptions {
  /** How long to measure (default 1000 ms). */
  durationMs?: number;
  /** How long to run `fn` first without measuring (default 100 ms), to let the JIT settle. */
  warmupMs?: number;
  /** Calls between two looks at the clock (default 1); raise it for functions of a few ns. */
  batch?: number;
}

/**
 * Calls `fn` (awaited when it returns a promise) again and again for `durationMs` and reports the rate.
 * For a workload that counts its own operations (e.g. one call moves 1000 messages), divide or multiply
 * the result accordingly.
 */
export async function measureOps(
  fn: () => unknown,
  { durationMs = 1000, warmupMs = 100, batch = 1 }: MeasureOpsOptions = {},
): Promise<OpsMeasurement> {
  const run = async (forMs: number): Promise<{ iterations: number; elapsedMs: number }> => {
    const start = performance.now();
    const end = start + forMs;
    let iterations = 0;
    let now = start;
    do {
      for (let i = 0; i < batch; i++) {
        const result = fn();
        if (result instanceof Promise) await result;
      }
      iterations += batch;
      now = performance.now();
    } while (now < end);
    return { iterations, elapsedMs: now - start };
  };
  if (warmupMs > 0) await run(warmupMs);
  const { iterations, elapsedMs } = await run(durationMs);
  const secondsPerOp = elapsedMs / 1000 / iterations;
  return {
    iterations,
    elapsedMs,
    opsPerSecond: 1 / secondsPerOp,
    microsPerOp: secondsPerOp * 1e6,
    nanosPerOp: secondsPerOp * 1e9,
  };
}

/** Runs `fn` once and returns how long it took, in milliseconds. */
export async function timeMs(fn: () => unknown): Promise<number> {
  const start = performance.now();
  const result = fn();
  if (result instanceof Promise) await result;
  return performance.now() - start;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------------
// CPU time (Linux /proc; falls back to process.cpuUsage where /proc is missing)

const clockTicksPerSecond = 100; // USER_HZ: 100 on every Linux that Node supports

function taskCpuNs(taskDir: string): number {
  // schedstat's first field is the time on CPU in nanoseconds; stat's utime+stime only counts 10 ms ticks.
  try {
    const schedstat = readFileSync(join(taskDir, 'schedstat'), 'utf8');
    return Number(schedstat.split(' ')[0]);
  } catch {
    const stat = readFileSync(join(taskDir, 'stat'), 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond) * 1e9;
  }
}

/**
 * The operating-system id of the calling thread (Linux), e.g. to hand to `threadCpuNs` from another
 * thread. A worker can find its own the same way: `readlinkSync('/proc/thread-self')`.
 */
export function osThreadId(): number {
  return Number(readlinkSync('/proc/thread-self').split('/').pop());
}

/**
 * CPU time (user + system, nanoseconds) used so far by one thread of this process: the calling thread
 * when `tid` is absent. Works on a thread that is parked right now, which is the point.
 */
export function threadCpuNs(tid?: number): number {
  return taskCpuNs(tid === undefined ? '/proc/thread-self' : `/proc/self/task/${tid}`);
}

/** CPU time (user + system, nanoseconds) used so far by every thread of a process (default: this one). */
export function processCpuNs(pid: number = process.pid): number {
  const taskRoot = `/proc/${pid}/task`;
  if (!existsSync(taskRoot)) {
    if (pid !== process.pid) throw new Error(`no /proc entry for process ${pid}`);
    const { user, system } = process.cpuUsage();
    return (user + system) * 1000;
  }
  let total = 0;
  for (const tid of readdirSync(taskRoot)) {
    try {
      total += taskCpuNs(join(taskRoot, tid));
    } catch {
      // the thread ended between listing and reading
    }
  }
  return total;
}

/** CPU used between two readings of `*CpuNs`, as a percentage of one core over `elapsedMs`. */
export function percentOfCore(cpuNs: number, elapsedMs: number): number {
  return (cpuNs / 1e6 / elapsedMs) * 100;
}

// ---------------------------------------------------------------------------------------------------
// Workers

/** A bench worker started from `src/workers/`, with a promise of its next message and of its exit. */
export interface BenchWorker {
  worker: Worker;
  /** Resolves with the next message the worker posts (messages queue until asked for). */
  nextMessage(): Promise<unknown>;
  /** Resolves with the exit code; rejects if the worker threw. */
  exited: Promise<number>;
  terminate(): Promise<number>;
}

/** Resolves a worker file name (e.g. 'queue-consumer.mjs') to its path in `src/workers/`. */
export function workerPath(fileName: string): string {
  return isAbsolute(fileName) ? fileName : join(workersDir, fileName);
}

/** Starts `src/workers/<fileName>` with `workerData` (SharedArrayBuffers inside are shared, not copied). */
export function startWorker(
  fileName: string,
  workerData?: unknown,
  options: WorkerOptions = {},
): BenchWorker {
  const worker = new Worker(workerPath(fileName), { ...options, workerData });
  const inbox: unknown[] = [];
  const readers: Array<{ resolve: (value: unknown) => void; reject: (error: unknown) => void }> = [];
  let failure: unknown;
  worker.on('message', (message: unknown) => {
    const reader = readers.shift();
    if (reader) reader.resolve(message);
    else inbox.push(message);
  });
  const exited = new Promise<number>((resolve, reject) => {
    worker.on('error', (error) => {
      failure = error;
      for (const reader of readers.splice(0)) reader.reject(error);
      reject(error);
    });
    worker.on('exit', (code) => {
      const error = failure ?? new Error(`worker ${fileName} exited (code ${code}) before posting a message`);
      for (const reader of readers.splice(0)) reader.reject(error);
      resolve(code);
    });
  });
  exited.catch(() => {}); // observed through nextMessage/runWorker; never an unhandled rejection
  return {
    worker,
    exited,
    nextMessage: () => {
      if (inbox.length > 0) return Promise.resolve(inbox.shift());
      return new Promise((resolve, reject) => readers.push({ resolve, reject }));
    },
    terminate: () => worker.terminate(),
  };
}

/**
 * Starts `src/workers/<fileName>`, waits for it to exit, and resolves with the last message it posted.
 * Rejects if the worker throws, exits with a non-zero code, or posts nothing.
 */
export async function runWorker(
  fileName: string,
  workerData?: unknown,
  options: WorkerOptions = {},
): Promise<unknown> {
  const worker = new Worker(workerPath(fileName), { ...options, workerData });
  let last: { message: unknown } | undefined;
  worker.on('message', (message: unknown) => {
    last = { message };
  });
  return new Promise((resolve, reject) => {
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`worker ${fileName} exited with code ${code}`));
      else if (!last) reject(new Error(`worker ${fileName} exited without posting a result`));
      else resolve(last.message);
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// Round trips

/** How long each round-trip figure is measured for (after its warm-up). */
export const ROUND_TRIP_BUDGET_MS = 500;

/**
 * µs per round trip: runs `trip` 2,000 times to warm up, then in batches of 64 (one clock read per
 * batch) until `budgetMs` have passed.
 */
export async function timeRoundTrips(
  trip: () => unknown,
  budgetMs: number = ROUND_TRIP_BUDGET_MS,
): Promise<number> {
  for (let warm = 0; warm < 2000; warm++) await trip();
  let trips = 0;
  const start = performance.now();
  let now = start;
  while (now - start < budgetMs) {
    for (let batch = 0; batch < 64; batch++) await trip();
    trips += 64;
    now = performance.now();
  }
  return ((now - start) / trips) * 1000;
}

/** µs per round trip of a message posted to a worker and posted back: the anchor of the round-trip rows. */
export async function postMessageRoundTrip(): Promise<number> {
  const echo = startWorker('atomics-sync-shim-post-echo.mjs');
  const { worker } = echo;
  let n = 0;
  const trip = () =>
    new Promise<void>((resolve) => {
      worker.once('message', () => resolve());
      worker.postMessage(n);
      n = (n + 1) & 63; // small numbers, as before: the payload stays the same size
    });
  try {
    return await timeRoundTrips(trip);
  } finally {
    worker.postMessage('stop');
    await echo.exited;
  }
}

// ---------------------------------------------------------------------------------------------------
// Python anchors

/**
 * Runs `python3 <script> [...args]` and returns the JSON number printed on its last line of stdout.
 * A relative `script` is looked up in `apps/bench/python/` (or relative to apps/bench).
 * @throws when python3 is missing, the script fails, or its last line is not a number.
 */
export function runPython(
  script: string,
  args: readonly (string | number)[] = [],
  timeoutMs = 120_000,
): Promise<number> {
  const candidates = isAbsolute(script)
    ? [script]
    : [join(pythonDir, script), join(benchRoot, script), resolve(script)];
  const path = candidates.find((candidate) => existsSync(candidate));
  if (!path) return Promise.reject(new Error(`python script not found: ${script}`));
  return runForNumber('python3', [path], script, args, timeoutMs);
}

/**
 * Runs `node <script> [...args]` in a fresh process with no loader (the bench itself runs under tsx,
 * whose loader every worker thread inherits) and returns the number printed on its last line.
 * A relative `script` is looked up in `apps/bench/src/workers/`.
 */
export function runNode(
  script: string,
  args: readonly (string | number)[] = [],
  timeoutMs = 120_000,
): Promise<number> {
  const path = isAbsolute(script) ? script : join(workersDir, script);
  if (!existsSync(path)) return Promise.reject(new Error(`node script not found: ${script}`));
  return runForNumber(process.execPath, [path], script, args, timeoutMs);
}

function runForNumber(
  command: string,
  prefix: readonly string[],
  script: string,
  args: readonly (string | number)[],
  timeoutMs: number,
): Promise<number> {
  const name = `${command === process.execPath ? 'node' : command} ${script}`;
  return new Promise((resolvePromise, reject) => {
    execFile(
      command,
      [...prefix, ...args.map(String)],
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } },
      (error, stdout, stderr) => {
        if (error) {
          const detail = String(stderr).trim().split('\n').slice(-3).join(' | ');
          reject(new Error(`${name} failed: ${detail || error.message}`));
          return;
        }
        const lines = String(stdout).trim().split('\n');
        const last = lines[lines.length - 1] ?? '';
        let value: unknown;
        try {
          value = JSON.parse(last || 'null');
        } catch {
          value = undefined;
        }
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          reject(new Error(`${name} printed ${JSON.stringify(last)} on its last line, not a number`));
          return;
        }
        resolvePromise(value);
      },
    );
  });
}
