import v8 from 'node:v8';
import { decode, encode } from '@weft/codec';
import { measureOps, type Row, type Suite } from '../harness.js';

const MEASURE_MS = 400;

/** Values a queue or a pool moves most often. */
const small: [label: string, value: unknown][] = [
  ['42', 42],
  ["'hello'", 'hello'],
  ["[42, null, 'hello']", [42, null, 'hello']],
  [
    'a small object',
    {
      id: 1234,
      name: 'alice',
      active: true,
      score: 98.5,
      tags: ['admin', 'ops'],
      address: { city: 'Paris', zip: '75011' },
    },
  ],
];

/** ns per encode + decode, measured in batches so the clock is not what is timed. */
async function nsPerRoundTrip(roundTrip: () => unknown): Promise<number> {
  const { nanosPerOp } = await measureOps(roundTrip, { durationMs: MEASURE_MS, warmupMs: 100, batch: 256 });
  return nanosPerOp;
}

const smallRows: Row[] = small.map(([label, value]) => ({
  name: `codec encode+decode ${label}`,
  unit: 'ns',
  better: 'lower',
  weft: () => nsPerRoundTrip(() => decode(encode(value))),
  anchors: { 'v8.serialize': () => nsPerRoundTrip(() => v8.deserialize(v8.serialize(value))) },
  goal: { anchor: 'v8.serialize', ratio: 3 },
}));

const MEGABYTE = 1 << 20;
const floats = new Float64Array(MEGABYTE / 8).map((_, i) => i * 0.5);

/** GB/s of a 1 MB Float64Array through encode + decode (bytes of the array / time of both). */
async function gigabytesPerSecond(roundTrip: () => unknown): Promise<number> {
  const { nanosPerOp } = await measureOps(roundTrip, { durationMs: MEASURE_MS, warmupMs: 100 });
  return MEGABYTE / nanosPerOp;
}

const suite: Suite = {
  name: 'codec',
  rows: [
    ...smallRows,
    {
      name: 'codec encode+decode 1 MB Float64Array',
      unit: 'GB/s',
      better: 'higher',
      weft: () => gigabytesPerSecond(() => decode(encode(floats))),
      anchors: { 'v8.serialize': () => gigabytesPerSecond(() => v8.deserialize(v8.serialize(floats))) },
      // Both copy the bytes twice (into the encoding, out of it); the goal is memory speed. The v8 figure is
      // shown for comparison only: on a loaded machine the two swap places from one run to the next.
      goal: { min: 1 },
    },
  ],
};

export default suite;
