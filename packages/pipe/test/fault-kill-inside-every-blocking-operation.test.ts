import { Worker } from 'node:worker_threads';
import { connectionToHandle, EOFError, Pipe } from '@weft/pipe';
import { describe, expect, it } from 'vitest';
import { isStampedMessage, stampedMessage } from './fixtures/stamped-message.mjs';
import { fixture } from './run-worker.js';

// The fault-injection suite for @weft/pipe: a sender or a receiver in a worker is terminated at a random
// point inside send/recv (messages of 16 B to 256 KB, so both the copy-under-the-lock and the
// copy-outside-it paths run). The other side must never hang: it drains what was sent and gets
// EOFError; nothing torn, nothing received twice, nothing lost but the message in flight.

const COUNT = 400;
const SIZES = [16, 16 * 1024, 300, 64 * 1024, 40, 256 * 1024];
const TRIALS = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function start(workerData: Record<string, unknown>) {
  const worker = new Worker(fixture('chaos-pipe.mjs'), { workerData });
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  const failed = new Promise<Error>((resolve) => worker.once('error', resolve));
  return { worker, exited, clean: Promise.race([exited, failed]) };
}

function bounded<T>(promise: Promise<T>, what: string, ms = 20_000): Promise<T> {
  return Promise.race([
    promise,
    sleep(ms).then(() => {
      throw new Error(`${what} hung after a worker was terminated`);
    }),
  ]);
}

async function killAtRandom(worker: Worker, exited: Promise<number>, progress: () => number, seed: number) {
  const goal = 3 + ((seed * 37) % 120);
  for (let waited = 0; progress() < goal; waited++) {
    if (waited > 10_000) throw new Error('the worker never got going');
    await sleep(1);
  }
  for (let i = 0; i < (seed * 7919) % 300_000; i++);
  await worker.terminate();
  await exited;
}

describe('fault injection: a pipe end’s thread terminated at a random point inside send/recv', () => {
  it('a sender killed mid-send: the receiver gets every message sent before, in order, intact, then EOFError', async () => {
    const base = Math.floor(Math.random() * 1000) * TRIALS;
    for (let seed = base; seed < base + TRIALS; seed++) {
      const [receiver, sending] = Pipe({ duplex: seed % 2 === 0 });
      const progress = new Int32Array(new SharedArrayBuffer(8));
      const sender = start({
        role: 'sender',
        conn: connectionToHandle(sending),
        count: COUNT,
        sizes: SIZES,
        progress: progress.buffer,
        receipts: new SharedArrayBuffer(4),
      });
      sending.close();
      await killAtRandom(sender.worker, sender.exited, () => Atomics.load(progress, 0), seed);
      const done = Atomics.load(progress, 0);
      const received: number[] = [];
      const drained = (async () => {
        for (;;) {
          let message: unknown;
          try {
            message = seed % 4 < 2 ? await receiver.recv() : receiver.recvSync();
          } catch (error) {
            expect(error).toBeInstanceOf(EOFError);
            return;
          }
          const [k, bytes] = message as [number, Uint8Array];
          expect(isStampedMessage(bytes, k, SIZES[k % SIZES.length]!), `message ${k} intact`).toBe(true);
          received.push(k);
        }
      })();
      await bounded(drained, `trial ${seed}: the receiver`);
      expect(received.slice(0, done)).toEqual(Array.from({ length: done }, (_, k) => k));
      expect(received.length === done || (received.length === done + 1 && received[done] === done)).toBe(
        true,
      );
    }
  }, 60_000);

  it('one of two receivers killed mid-recv: the other gets the rest, nothing twice, at most one lost', async () => {
    const base = Math.floor(Math.random() * 1000) * TRIALS;
    for (let seed = base; seed < base + TRIALS; seed++) {
      const [receiving, sender] = Pipe({ duplex: false });
      const progress = new Int32Array(new SharedArrayBuffer(8));
      const receipts = new Int32Array(new SharedArrayBuffer(4 * COUNT));
      const receivers = [0, 1].map((index) =>
        start({
          role: 'receiver',
          conn: connectionToHandle(receiving),
          count: COUNT,
          sizes: SIZES,
          mode: (seed + index) % 2 === 0 ? 'sync' : 'async',
          progress: progress.buffer,
          receipts: receipts.buffer,
        }),
      );
      receiving.close();
      const received = () => receipts.reduce((sum, taken) => sum + taken, 0);
      const victim = receivers[seed % 2]!;
      const survivor = receivers[(seed + 1) % 2]!;
      const sending = (async () => {
        for (let k = 0; k < COUNT; k++) {
          sender.send([k, stampedMessage(k, SIZES[k % SIZES.length]!)]);
          if (k % 16 === 15) await sleep(0);
        }
      })();
      await killAtRandom(victim.worker, victim.exited, received, seed);
      await bounded(sending, `trial ${seed}: the sender`);
      sender.close();
      expect(await bounded(survivor.clean, `trial ${seed}: the surviving receiver`)).toBe(0);
      expect(Atomics.load(progress, 1), 'no message torn').toBe(0);
      let lost = 0;
      for (let k = 0; k < COUNT; k++) {
        expect(receipts[k], `message ${k} received at most once`).toBeLessThanOrEqual(1);
        if (receipts[k] === 0) lost++;
      }
      expect(lost).toBeLessThanOrEqual(1);
    }
  }, 60_000);
});
