/**
 * weft primitives used from a `context: 'process'` child (served to it by @weft/manager's object server)
 * against Python's Manager proxies used from a `multiprocessing.Process`: the form users write in a
 * child, blocking calls, measured in the child.
 */
import { Event, Lock } from '@weft/lock';
import { Process } from '@weft/pool';
import { Queue } from '@weft/queue';
import { Value } from '@weft/shared-memory';
import { runPython, type Suite } from '../harness.js';
import { lockRoundTrips, valueIncrements } from '../workers/process-targets.mjs';

const LOCK_WARMUP = 200;
const LOCK_TRIPS = 2_000;
const INCREMENTS = 10_000;
/** Generous: a loaded machine makes each call a scheduler wake-up or more. */
const TIMEOUT_MS = 110_000;

async function joinAll(processes: Process[]): Promise<void> {
  for (const child of processes) {
    await child.join(TIMEOUT_MS);
    if (child.exitCode !== 0) throw new Error(`child ${child.name} exited with ${child.exitCode}`);
  }
}

/** µs per `lock.acquireSync(); lock.release()` in a child process, on a Lock of the parent's. */
async function lockFromChild(): Promise<number> {
  const lock = new Lock();
  const out = new Queue<number>();
  const child = new Process({
    target: lockRoundTrips,
    args: [lock, out, LOCK_WARMUP, LOCK_TRIPS],
    context: 'process',
  });
  child.start();
  try {
    const us = await out.get({ timeout: TIMEOUT_MS });
    await joinAll([child]);
    return us;
  } finally {
    if (child.isAlive()) child.kill();
  }
}

/**
 * Increments per second of 2 child processes x INCREMENTS `value.value = value.value + 1` under the
 * Value's own lock, over the span from the first child's start to the last one's end (each child
 * reads the wall clock). Throws unless the parent then reads exactly 2 x INCREMENTS.
 */
async function valueFromChildren(): Promise<number> {
  const value = new Value('i', 0);
  const start = new Event();
  const out = new Queue<'ready' | [number, number]>();
  const children = [0, 1].map(
    () =>
      new Process({
        target: valueIncrements,
        args: [value, start, out, INCREMENTS],
        context: 'process',
      }),
  );
  for (const child of children) child.start();
  try {
    for (const _ of children) {
      const ready = await out.get({ timeout: TIMEOUT_MS });
      if (ready !== 'ready') throw new Error(`expected 'ready', got ${JSON.stringify(ready)}`);
    }
    start.set();
    const spans: Array<[number, number]> = [];
    for (const _ of children) {
      const span = await out.get({ timeout: TIMEOUT_MS });
      if (!Array.isArray(span)) throw new Error(`expected [began, ended], got ${JSON.stringify(span)}`);
      spans.push(span);
    }
    await joinAll(children);
    if (value.value !== 2 * INCREMENTS) throw new Error(`expected ${2 * INCREMENTS}, got ${value.value}`);
    const elapsedMs =
      Math.max(...spans.map(([, ended]) => ended)) - Math.min(...spans.map(([began]) => began));
    return (2 * INCREMENTS) / (elapsedMs / 1000);
  } finally {
    for (const child of children) if (child.isAlive()) child.kill();
  }
}

const suite: Suite = {
  name: 'process',
  rows: [
    {
      name: 'Lock acquireSync()+release() round trip from a child process (Python: Manager().Lock() from a Process)',
      unit: 'µs',
      better: 'lower',
      weft: lockFromChild,
      anchors: { 'python manager Lock': () => runPython('process_manager_lock.py', [LOCK_TRIPS]) },
      goal: { anchor: 'python manager Lock', ratio: 1 },
    },
    {
      name: '2 child processes x 10,000 Value increments under its lock (Python: Manager Value + Lock)',
      unit: 'increments/s',
      better: 'higher',
      weft: valueFromChildren,
      anchors: {
        'python manager Value': () => runPython('process_manager_value.py', [INCREMENTS]),
      },
      goal: { anchor: 'python manager Value', ratio: 1 },
    },
  ],
};

export default suite;
