import { Pipe } from '@weft/pipe';
import { Process } from '@weft/pool';
import { RawValue } from '@weft/shared-memory';
import { describe, expect, it } from 'vitest';
import { receiveUntilEOF, sendEach } from './fixtures/child-primitives.mjs';

async function joinBounded(p: Process): Promise<void> {
  await p.join(45_000);
  if (p.exitCode === null) p.kill();
  expect(p.exitCode).toBe(0);
}

/** Every message the parent's end receives until EOFError (bounded: a hang fails the test). */
async function drain(conn: { recv(options?: { timeout?: number }): Promise<unknown> }): Promise<unknown[]> {
  const got: unknown[] = [];
  for (;;) {
    try {
      got.push(await conn.recv({ timeout: 30_000 }));
    } catch (error) {
      expect((error as Error).name).toBe('EOFError');
      return got;
    }
  }
}

describe('pipe ends in a child process behave as copies of a file descriptor (as in Python)', () => {
  it("the README idiom: the parent closes the child's end right after start(); the child sends and closes; the parent gets EOFError", async () => {
    const [parentEnd, childEnd] = Pipe();
    const p = new Process({ target: sendEach, args: [childEnd, [1, 'two', [3]]], context: 'process' });
    p.start();
    childEnd.close();
    expect(await drain(parentEnd)).toEqual([1, 'two', [3]]);
    await joinBounded(p);
  });

  it('the parent closes its copy after join(): its next recv() raises EOFError', async () => {
    const [parentEnd, childEnd] = Pipe();
    const p = new Process({ target: sendEach, args: [childEnd, [4, 5]], context: 'process' });
    p.start();
    await joinBounded(p);
    childEnd.close();
    expect(await drain(parentEnd)).toEqual([4, 5]);
  });

  it('a child that returns without closing its end closes it as it ends', async () => {
    const [parentEnd, childEnd] = Pipe({ duplex: false });
    const p = new Process({ target: sendEach, args: [childEnd, ['a', 'b'], false], context: 'process' });
    p.start();
    childEnd.close();
    expect(await drain(parentEnd)).toEqual(['a', 'b']);
    await joinBounded(p);
  });

  it('the parent sends and closes; the child receives everything, then EOFError (recvSync and recv)', async () => {
    for (const async of [false, true]) {
      const [childEnd, parentEnd] = Pipe({ duplex: false });
      const [sum, count, eof] = [new RawValue('i', 0), new RawValue('i', 0), new RawValue('i', 0)];
      const p = new Process({
        target: receiveUntilEOF,
        args: [childEnd, sum, count, eof, async],
        context: 'process',
      });
      p.start();
      childEnd.close();
      for (let i = 1; i <= 20; i++) parentEnd.send(i);
      parentEnd.close();
      await joinBounded(p);
      expect([sum.value, count.value, eof.value]).toEqual([210, 20, 1]);
    }
  });

  it('two children given the same end: the peer sees EOFError only once both closed theirs', async () => {
    const [parentEnd, childEnd] = Pipe();
    const first = new Process({ target: sendEach, args: [childEnd, [1]], context: 'process' });
    const second = new Process({ target: sendEach, args: [childEnd, [2]], context: 'process' });
    first.start();
    second.start();
    childEnd.close();
    const got = await drain(parentEnd);
    expect(got.sort()).toEqual([1, 2]);
    await joinBounded(first);
    await joinBounded(second);
  });
});
