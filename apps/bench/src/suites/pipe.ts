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

const ITEM = [42, null, 'hello'];
const SMALL_COUNT = 200_000;
const PYTHON_SMALL_COUNT = 40_000;
const BIG_SIZE = 1024 * 1024;
const BIG_COUNT = 300;

function release(go: SharedArrayBuffer): void {
  Atomics.store(new Int32Array(go), 0, 1);
  Atomics.notify(new Int32Array(go), 0);
}

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

/** msgs/s from a worker sending `count` items to the main thread, which receives them with recvSync. */
async function pipeOneWay(item: unknown, count: number): Promise<number> {
  const [receiver, sender] = Pipe({ duplex: false });
  const go = new SharedArrayBuffer(4);
  const worker = startWorker('pipe-sender.mjs', { conn: connectionToHandle(sender), count, item, go });
  sender.close();
  await worker.nextMessage();
  const start = performance.now();
  release(go);
  for (let i = 0; i < count; i++) receiver.recvSync();
  const elapsed = performance.now() - start;
  receiver.close();
  await worker.exited;
  return (count / elapsed) * 1000;
}

/** The same items posted by a worker with postMessage (copied, as the pipe copies), counted on arrival. */
async function postMessageOneWay(item: unknown, count: number): Promise<number> {
  const go = new SharedArrayBuffer(4);
  const producer = startWorker('queue-post-producer.mjs', { count, item, go });
  await producer.nextMessage();
  const { worker } = producer;
  let received = 0;
  const start = performance.now();
  const done = new Promise<number>((resolve) => {
    worker.removeAllListeners('message');
    worker.on('message', () => {
      if (++received === count) resolve(performance.now());
    });
  });
  release(go);
  const end = await done;
  await producer.exited;
  return (count / (end - start)) * 1000;
}

const bigItem = () => new Uint8Array(BIG_SIZE).fill(1);

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
      weft: async () => {
        await pipeOneWay(bigItem(), 100);
        return pipeOneWay(bigItem(), BIG_COUNT);
      },
      anchors: {
        postMessage: async () => {
          await postMessageOneWay(bigItem(), 100);
          return postMessageOneWay(bigItem(), BIG_COUNT);
        },
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
      weft: () => runNode('one-way-1mb.mjs', ['pipe']),
      anchors: { postMessage: () => runNode('one-way-1mb.mjs', ['postMessage']) },
      rounds: 5,
    },
  ],
};

export default suite;
