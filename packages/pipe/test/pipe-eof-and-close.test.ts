import { BrokenPipeError, connectionToHandle, EOFError, OSError, Pipe, TimeoutError } from '@weft/pipe';
import { describe, expect, it } from 'vitest';
import { runWorker, until } from './run-worker.js';

interface CallReport {
  state: string;
  name?: string;
  result?: unknown;
}

describe('closing a pipe', () => {
  it('recv delivers what was sent before close, then rejects with EOFError, every time', async () => {
    const [a, b] = Pipe();
    a.send(1);
    a.send(2);
    a.close();
    expect(await b.recv()).toBe(1);
    expect(b.recvSync()).toBe(2);
    await expect(b.recv()).rejects.toBeInstanceOf(EOFError);
    expect(() => b.recvSync()).toThrow(EOFError);
    await expect(b.recvBytes()).rejects.toBeInstanceOf(EOFError);
    // poll is true at EOF: recv would not wait.
    expect(b.pollSync()).toBe(true);
  });

  it('wakes an await recv waiting here when the worker closes its end', async () => {
    const [parent, child] = Pipe();
    const waiting = parent.recv();
    const run = runWorker('send-many.mjs', { conn: connectionToHandle(child), count: 0 });
    child.close();
    await expect(waiting).rejects.toBeInstanceOf(EOFError);
    await run.done;
  });

  it('wakes a recvSync blocked in a worker when this end closes', async () => {
    const [parent, child] = Pipe();
    const run = runWorker<CallReport>('blocked-recv.mjs', {
      conn: connectionToHandle(child),
      call: 'recvSync',
    });
    child.close();
    await until(() => run.messages.length === 1, 'worker calling recvSync');
    await new Promise((resolve) => setTimeout(resolve, 50));
    parent.close();
    const [, report] = await run.done;
    expect(report).toEqual({ state: 'threw', name: 'EOFError' });
  });

  it('wakes a pollSync(null) blocked in a worker when a message comes', async () => {
    const [parent, child] = Pipe();
    const run = runWorker<CallReport>('blocked-recv.mjs', {
      conn: connectionToHandle(child),
      call: 'pollSync',
    });
    child.close();
    await until(() => run.messages.length === 1, 'worker calling pollSync');
    parent.send('here');
    const [, report] = await run.done;
    expect(report).toEqual({ state: 'returned', result: true });
  });

  it("keeps the end open while the parent holds a copy of the child's end (the notes s1-12: a third recv waits)", async () => {
    const [parent, child] = Pipe();
    const run = runWorker('send-many.mjs', { conn: connectionToHandle(child), count: 2 });
    await run.done; // the worker sent two messages and closed its copy
    expect(await parent.recv()).toEqual([0, null, 'hello from child 0']);
    expect(await parent.recv()).toEqual([1, null, 'hello from child 1']);
    const start = performance.now();
    await expect(parent.recv({ timeout: 60 })).rejects.toBeInstanceOf(TimeoutError);
    expect(performance.now() - start).toBeGreaterThanOrEqual(60);
    expect(await parent.poll(20)).toBe(false);
    child.close(); // the last copy: now the parent sees EOF
    await expect(parent.recv()).rejects.toBeInstanceOf(EOFError);
  });

  it('send raises BrokenPipeError once every copy of the other end is closed', () => {
    const [a, b] = Pipe();
    b.close();
    expect(() => a.send('nobody')).toThrow(BrokenPipeError);
    expect(() => a.sendBytes(new Uint8Array(1))).toThrow(BrokenPipeError);
    expect(new BrokenPipeError()).toBeInstanceOf(OSError);
  });

  it('every call on a closed connection raises OSError("handle is closed"); close is idempotent', async () => {
    const [a] = Pipe();
    a.close();
    a.close();
    expect(a.closed).toBe(true);
    expect(() => a.send(1)).toThrow('handle is closed');
    expect(() => a.sendBytes(new Uint8Array(1))).toThrow(OSError);
    expect(() => a.recvSync()).toThrow(OSError);
    expect(() => a.pollSync()).toThrow(OSError);
    await expect(a.recv()).rejects.toBeInstanceOf(OSError);
    expect(() => connectionToHandle(a)).toThrow(OSError);
  });

  it('Symbol.dispose closes the connection', () => {
    const [a, b] = Pipe();
    {
      using end = a;
      end.send('last words');
    }
    expect(a.closed).toBe(true);
    expect(b.recvSync()).toBe('last words');
    expect(() => b.recvSync()).toThrow(EOFError);
  });
});
