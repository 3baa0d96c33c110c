import { type Connection, connectionFromHandle, connectionToHandle, EOFError, Pipe } from '@weft/pipe';
import { ByteRing } from '@weft/queue';
import { describe, expect, it } from 'vitest';
import { isStampedMessage } from './fixtures/stamped-message.mjs';
import { runWorker } from './run-worker.js';

const MB = 1 << 20;
const pause = new Int32Array(new SharedArrayBuffer(4));

interface SenderReport {
  sent: number;
  broken: boolean;
}

/** Bytes of the shared memory of the ring `receiver` reads from. */
function ringBytes(receiver: Connection): number {
  const handle = connectionToHandle(receiver);
  // The data area (the header's size is the ring's business).
  const bytes = ByteRing.attach(handle.read!).capacityBytes();
  connectionFromHandle(handle).close(); // the copy the handle counted
  return bytes;
}

function startSender(count: number, size: number) {
  const [receiver, sender] = Pipe({ duplex: false });
  const running = runWorker<SenderReport>('send-paced.mjs', {
    conn: connectionToHandle(sender),
    count,
    size,
  });
  sender.close();
  return { receiver, running };
}

// A sender far ahead of a receiver that is receiving waits for it (send's flow control), so the pipe's
// memory stays a few MB however much goes through; a receiver that is not receiving never holds the
// sender up; and every message arrives whole, in order, either way.
describe('send keeps pace with a receiver that receives', () => {
  it('160 messages of 1 MB arrive exact through a pipe that stays small', async () => {
    const count = 160;
    const { receiver, running } = startSender(count, MB);
    let wrong = 0;
    for (let k = 0; k < count; k++) {
      Atomics.wait(pause, 0, 0, 0.3); // a receiver slower than its sender
      if (!isStampedMessage(receiver.recvSync({ timeout: 30_000 }), k, MB)) wrong++;
    }
    expect(() => receiver.recvSync({ timeout: 30_000 })).toThrow(EOFError);
    const [report] = await running.done;
    expect(report).toEqual({ sent: count, broken: false });
    expect(wrong).toBe(0);
    // Unpaced, the sender runs ~100 MB ahead and the ring grows to 128 MB.
    expect(ringBytes(receiver)).toBeLessThanOrEqual(64 * MB);
    receiver.close();
  });

  it('a receiver that does not receive yet never holds the sender up', async () => {
    const count = 24;
    const { receiver, running } = startSender(count, MB);
    // The sender finishes while nothing is received: 24 MB wait in the pipe.
    const [report] = await running.done;
    expect(report).toEqual({ sent: count, broken: false });
    for (let k = 0; k < count; k++) {
      expect(isStampedMessage(await receiver.recv({ timeout: 30_000 }), k, MB)).toBe(true);
    }
    await expect(receiver.recv({ timeout: 30_000 })).rejects.toBeInstanceOf(EOFError);
    receiver.close();
  });

  it('a sender waiting for the receiver gets BrokenPipeError when the receiver closes', async () => {
    const { receiver, running } = startSender(10_000, 256 * 1024);
    for (let k = 0; k < 40; k++) {
      Atomics.wait(pause, 0, 0, 0.5);
      expect(isStampedMessage(receiver.recvSync({ timeout: 30_000 }), k, 256 * 1024)).toBe(true);
    }
    receiver.close();
    const [report] = await running.done;
    expect(report!.broken).toBe(true);
    expect(report!.sent).toBeGreaterThanOrEqual(40);
    expect(report!.sent).toBeLessThan(10_000);
  });
});
