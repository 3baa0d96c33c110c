import { Worker } from 'node:worker_threads';
import { BrokenPipeError, connectionToHandle, EOFError, Pipe, TimeoutError } from '@weft/pipe';
import { describe, expect, it } from 'vitest';
import { fixture } from './run-worker.js';

/** Starts `send-then-die.mjs` with a copy of `end`; resolves with the worker once it has sent. */
async function sender(end: ReturnType<typeof Pipe>[1], count: number, how: 'terminate' | 'return') {
  const worker = new Worker(fixture('send-then-die.mjs'), {
    workerData: { conn: connectionToHandle(end), count, end: how },
  });
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  await new Promise((resolve) => worker.once('message', resolve));
  if (how === 'terminate') await worker.terminate();
  await exited;
  return worker;
}

describe('a thread that dies holding the last copy of the sending end', () => {
  for (const how of ['terminate', 'return'] as const) {
    for (const duplex of [true, false]) {
      it(`the receiver drains what it sent, then gets EOFError (${how === 'terminate' ? 'terminated' : 'ended without closing'}, ${duplex ? 'duplex' : 'one-way'})`, async () => {
        const [receiver, sending] = Pipe({ duplex });
        const dead = sender(sending, 100, how);
        sending.close(); // Python's idiom: the parent closes its copy of the child's end
        await dead;
        for (let i = 0; i < 100; i++)
          expect(await receiver.recv({ timeout: 5000 })).toEqual([i, 'x'.repeat(i % 50)]);
        await expect(receiver.recv({ timeout: 5000 })).rejects.toBeInstanceOf(EOFError);
        expect(await receiver.poll(1000)).toBe(true);
        expect(() => receiver.recvSync({ timeout: 5000 })).toThrow(EOFError);
        if (duplex) expect(() => receiver.send('anyone?')).toThrow(BrokenPipeError);
      });
    }
  }

  it('a copy still open elsewhere keeps the pipe open: no EOF, a timeout', async () => {
    const [receiver, sending] = Pipe();
    await sender(sending, 3, 'terminate');
    for (let i = 0; i < 3; i++) await receiver.recv({ timeout: 5000 });
    // This thread still holds `sending`: the dead copy is closed, the pipe is not.
    await expect(receiver.recv({ timeout: 150 })).rejects.toBeInstanceOf(TimeoutError);
    sending.close();
    await expect(receiver.recv({ timeout: 5000 })).rejects.toBeInstanceOf(EOFError);
  });

  it('a receiver that dies with the last copy of its end: the sender gets BrokenPipeError once 4 MB pile up', async () => {
    const [receiving, sender] = Pipe({ duplex: false });
    const worker = new Worker(fixture('receive-then-die.mjs'), {
      workerData: { conn: connectionToHandle(receiving) },
    });
    receiving.close();
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    const ready = new Promise((resolve) => worker.once('message', resolve));
    sender.send('first');
    await ready;
    await worker.terminate();
    await exited;
    const chunk = new Uint8Array(64 * 1024);
    let sent = 0;
    const error = (() => {
      try {
        // 64 MB at most: the backlog passes 4 MB after 64 sends, and the first stalled pace looks.
        for (; sent < 1024; sent++) sender.sendBytes(chunk);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(BrokenPipeError);
    expect(sent).toBeGreaterThanOrEqual(64);
  });
});
