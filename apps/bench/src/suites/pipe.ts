import { connectionToHandle, Pipe } from '@weft/pipe';
import {
  postMessageRoundTrip,
  ROUND_TRIP_BUDGET_MS,
  runNode,
  runPython,
  type Suite,
  startWorker,
  timeRoundTrips,
} from '../harness.js';
import { BIG_COUNT, BIG_SIZE, bigOneWay, pipeOneWay, postMessageOneWay } from '../workers/one-way.mjs';

const ITEM = [42, null, 'hello'];
const SMALL_COUNT = 200_000;
const PYTHON_SMALL_COUNT = 40_000;

/** µs per round trip: the main thread sends a number and receives it back from an echoing worker. */
async function pipeRoundTrip(receive: 'recvSync' | 'recv'): Promise<number> {
  const [parent, child] = Pipe();
  const echo = startWorker('pipe-echo.mjs', { conn: connectionToHandle(child) });
  child.close();
  let n = 0;
  const trip = async () => {
    parent.send(n);
    n = (n + 1) & 63;
    if (receive === 'recvSync') parent.recvSync();
    else await parent.recv();
  };
  try {
    return await timeRoundTrips(trip);
  } finally {
    parent.close();
    await echo.exited;
  }
}

const suite: Suite = {
  name: 'pipe',
  rows: [
    {
      name: 'Pipe round trip main <-> worker (recvSync on main)',
      unit: 'µs',
      better: 'lower',
      weft: () => pipeRoundTrip('recvSync'),
      anchors: {
        postMessage: postMessageRoundTrip,
        'python mp.Pipe': () => runPython('pipe_round_trip.py', [ROUND_TRIP_BUDGET_MS / 1000]),
      },
      goal: { anchor: 'postMessage', ratio: 10 },
    },
    {
      name: 'Pipe round trip main <-> worker (await recv on main)',
      unit: 'µs',
      better: 'lower',
      weft: () => pipeRoundTrip('recv'),
      anchors: { postMessage: postMessageRoundTrip },
    },
    {
      name: 'Pipe one-way worker -> main, [42,null,"hello"]',
      unit: 'msgs/s',
      better: 'higher',
      weft: () => pipeOneWay(ITEM, SMALL_COUNT),
      anchors: {
        postMessage: () => postMessageOneWay(ITEM, SMALL_COUNT),
        'python mp.Pipe': () => runPython('pipe_throughput.py', [PYTHON_SMALL_COUNT]),
      },
      goal: [
        { anchor: 'python mp.Pipe', ratio: 3 },
        { anchor: 'postMessage', ratio: 1 },
      ],
    },
    {
      name: 'Pipe one-way worker -> main, 1 MB Uint8Array',
      unit: 'msgs/s',
      better: 'higher',
      weft: () => bigOneWay('pipe'),
      anchors: {
        postMessage: () => bigOneWay('postMessage'),
        'python mp.Pipe': () => runPython('pipe_throughput.py', [BIG_COUNT, BIG_SIZE]),
      },
      goal: { anchor: 'postMessage', ratio: 1 },
      // Each process's figure depends much on the state of glibc's heap (page faults of the receiving
      // side's fresh buffers), for weft and postMessage alike: more rounds for a steadier median.
      rounds: 5,
    },
    {
      // The same in a fresh plain-node process per figure: what a program that starts, does this and
      // ends sees, whatever the bench process did before.
      name: 'Pipe one-way worker -> main, 1 MB Uint8Array (fresh process per figure)',
      unit: 'msgs/s',
      better: 'higher',
      weft: () => runNode('one-way.mjs', ['pipe']),
      anchors: { postMessage: () => runNode('one-way.mjs', ['postMessage']) },
      rounds: 5,
    },
  ],
};

export default suite;
