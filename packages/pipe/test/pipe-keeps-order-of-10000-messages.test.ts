import { connectionToHandle, EOFError, Pipe } from '@weft/pipe';
import { describe, expect, it } from 'vitest';
import { runWorker } from './run-worker.js';

describe('10,000 messages through a pipe arrive in order', () => {
  it('worker -> main, received with await recv, then EOFError', async () => {
    const [parent, child] = Pipe();
    const run = runWorker('send-many.mjs', { conn: connectionToHandle(child), count: 10_000 });
    child.close(); // the Python idiom: the parent closes its copy of the child's end
    for (let i = 0; i < 10_000; i++) {
      expect(await parent.recv()).toEqual([i, null, `hello from child ${i}`]);
    }
    await expect(parent.recv()).rejects.toBeInstanceOf(EOFError);
    await run.done;
  });

  for (const mode of ['sync', 'async']) {
    it(`main -> worker, received with ${mode === 'sync' ? 'recvSync' : 'await recv'} until EOFError`, async () => {
      const [receiver, sender] = Pipe({ duplex: false });
      const run = runWorker<{ count: number; problems: string[] }>('receive-many.mjs', {
        conn: connectionToHandle(receiver),
        mode,
      });
      receiver.close();
      for (let i = 0; i < 10_000; i++) sender.send([i, null, `hello from parent ${i}`]);
      sender.close();
      const [report] = await run.done;
      expect(report).toEqual({ count: 10_000, problems: [] });
    });
  }

  it('a round trip through an echoing worker returns each message, both ends sending and receiving', async () => {
    const [parent, child] = Pipe();
    const run = runWorker('echo.mjs', { conn: connectionToHandle(child) });
    child.close();
    for (let i = 0; i < 2000; i++) {
      parent.send({ i, text: 'ping' });
      expect(i % 2 ? parent.recvSync() : await parent.recv()).toEqual({ i, text: 'ping' });
    }
    parent.close();
    await run.done;
  });
});
