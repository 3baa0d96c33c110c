import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { connectRemote, ObjectServer, SyncDeadlockError } from '@weft/manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

class Counter {
  value = 0;
  increment(by: number): number {
    const before = this.value;
    this.value += by;
    return before;
  }
  name(): string {
    return 'counter';
  }
}

let server: ObjectServer;
beforeAll(async () => {
  server = await ObjectServer.start();
});
afterAll(async () => {
  await server.shutdown();
});

describe('serveObject / connectRemote', () => {
  it('a worker thread calls the served object through its RemoteRef', async () => {
    const counter = new Counter();
    const ref = await server.serve(counter);
    expect(await server.serve(counter)).toEqual(ref); // same object, same id
    const results = await Promise.all(
      Array.from(
        { length: 3 },
        () =>
          new Promise<number>((resolve, reject) => {
            const worker = new Worker(new URL('./fixtures/remote-thread.mjs', import.meta.url), {
              workerData: { ref },
            });
            worker.once('message', resolve);
            worker.once('error', reject);
          }),
      ),
    );
    expect(results.sort()).toEqual([0, 1, 2]);
    expect(counter.value).toBe(3); // the object itself changed: calls were relayed to it
  });

  it('a child process calls it too (the ref is plain JSON)', async () => {
    const counter = new Counter();
    const ref = await server.serve(counter);
    const script = fileURLToPath(new URL('./fixtures/remote-child.mjs', import.meta.url));
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [script, JSON.stringify(ref)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
      });
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`child exited with ${code}`)),
      );
    });
    expect(JSON.parse(output)).toEqual({ before: 0, name: 'counter' });
    expect(counter.value).toBe(5);
  });

  it('in this thread: methods only; private members are refused, blocking twins never run remotely', async () => {
    const ref = await server.serve(new Counter());
    const proxy = connectRemote<Counter & { _secret(): void }>(ref) as unknown as {
      increment(n: number): Promise<number>;
      _secret(): Promise<void>;
      incrementSync(n: number): number;
      call(method: string, args: unknown[]): Promise<unknown>;
    };
    expect(await proxy.increment(2)).toBe(0);
    await expect(proxy._secret()).rejects.toThrow(/cannot be called remotely/);
    // `incrementSync` blocks on the remote async `increment`: here it would need this very thread.
    expect(() => proxy.incrementSync(1)).toThrow(SyncDeadlockError);
    // The server itself never runs a `…Sync` member (it would block the server thread).
    await expect(proxy.call('incrementSync', [1])).rejects.toThrow(/cannot be called remotely/);
  });
});

describe('serving a weft primitive', () => {
  it('a Lock moves to the server thread as itself; an aborted acquire does not take it later', async () => {
    const { Lock } = await import('@weft/lock');
    const lock = new Lock();
    const ref = await server.serve(lock);
    const remote = connectRemote(ref) as unknown as {
      acquire(options?: { blocking?: boolean; signal?: AbortSignal }): Promise<boolean>;
      release(): Promise<void>;
      locked(): Promise<boolean>;
    };
    expect(await lock.acquire()).toBe(true); // held here
    expect(await remote.locked()).toBe(true); // the server sees the same lock
    const controller = new AbortController();
    const waiting = remote.acquire({ signal: controller.signal });
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    await remote.locked(); // a round trip: the server has handled the cancel before this answer
    lock.release();
    expect(await remote.acquire({ blocking: false })).toBe(true); // nobody took it meanwhile
    await remote.release();
    expect(lock.locked()).toBe(false);
  });
});
