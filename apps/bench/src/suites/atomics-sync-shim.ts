import { createSyncBridge, wait, waitAsync } from '@weft/atomics-sync-shim';
import {
  measureOps,
  postMessageRoundTrip,
  ROUND_TRIP_BUDGET_MS,
  runPython,
  type Suite,
  sleep,
  startWorker,
  timeRoundTrips,
  workerPath,
} from '../harness.js';

const PARK_MS = 2000;

/**
 * µs per thread <-> thread round trip: the main thread flips word 0 to an odd turn and waits for the
 * echo worker to answer with the next even one, as a primitive hands off to another thread.
 */
async function waitNotifyRoundTrip(side: 'wait' | 'waitAsync'): Promise<number> {
  const sab = new SharedArrayBuffer(4);
  const i32 = new Int32Array(sab);
  const echo = startWorker('atomics-sync-shim-echo.mjs', { sab });
  await echo.nextMessage();
  let turn = 0;
  const trip = async () => {
    Atomics.store(i32, 0, turn + 1);
    Atomics.notify(i32, 0);
    if (side === 'wait') {
      while (Atomics.load(i32, 0) === turn + 1) wait(i32, 0, turn + 1);
    } else {
      while (Atomics.load(i32, 0) === turn + 1) await waitAsync(i32, 0, turn + 1);
    }
    turn += 2;
  };
  try {
    return await timeRoundTrips(trip);
  } finally {
    Atomics.store(i32, 0, -1); // stop: see the worker
    Atomics.notify(i32, 0);
    await echo.exited;
  }
}

/** µs per blocking call, through a sync bridge, of an async function that runs on the helper thread. */
async function syncBridgeCall(): Promise<number> {
  const bridge = createSyncBridge<{ add(a: number, b: number): Promise<number> }>(
    workerPath('atomics-sync-shim-bridge.mjs'),
  );
  try {
    let n = 0;
    const { microsPerOp } = await measureOps(
      () => {
        if (bridge.call('add', n, 1) !== ++n) throw new Error('wrong answer');
      },
      { durationMs: ROUND_TRIP_BUDGET_MS, warmupMs: 200 },
    );
    return microsPerOp;
  } finally {
    await bridge.close();
  }
}

/** % of one core used by a worker thread parked in `wait` for 2 s (its spin and wake-up included). */
async function parkedThreadCpu(): Promise<number> {
  const sab = new SharedArrayBuffer(8);
  const i32 = new Int32Array(sab);
  const parked = startWorker('atomics-sync-shim-park.mjs', { sab });
  while (Atomics.load(i32, 1) === 0) await waitAsync(i32, 1, 0, 50);
  await sleep(PARK_MS);
  Atomics.store(i32, 0, 1);
  Atomics.notify(i32, 0);
  const { cpuNs, elapsedMs } = (await parked.nextMessage()) as { cpuNs: number; elapsedMs: number };
  await parked.exited;
  return (cpuNs / 1e6 / elapsedMs) * 100;
}

const suite: Suite = {
  name: 'atomics-sync-shim',
  rows: [
    {
      name: 'thread <-> thread round trip, wait/notify',
      unit: 'µs',
      better: 'lower',
      weft: () => waitNotifyRoundTrip('wait'),
      anchors: {
        postMessage: postMessageRoundTrip,
        'python Condition': () => runPython('atomics-sync-shim_round_trip.py', [ROUND_TRIP_BUDGET_MS / 1000]),
      },
      goal: { anchor: 'postMessage', ratio: 20 },
    },
    {
      name: 'thread <-> thread round trip, waitAsync on the main side',
      unit: 'µs',
      better: 'lower',
      weft: () => waitNotifyRoundTrip('waitAsync'),
      anchors: { postMessage: postMessageRoundTrip },
    },
    {
      name: 'sync bridge: blocking call of an async function on the helper thread',
      unit: 'µs',
      better: 'lower',
      weft: syncBridgeCall,
      anchors: { 'postMessage round trip': postMessageRoundTrip },
    },
    {
      name: 'CPU of a thread parked in wait for 2 s',
      unit: '% of a core',
      better: 'lower',
      weft: parkedThreadCpu,
      goal: { max: 1 },
    },
  ],
};

export default suite;
