/**
 * What a server owes a hostile network: failed key guesses slow the guesser down, a default Unix
 * socket lives in a private directory that is gone when the process is, and a client can call only
 * an object's public API (never `toHandle`, never a field such as a Lock's `word`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Lock } from '@weft/lock';
import {
  AuthenticationError,
  Client,
  connectRemote,
  Listener,
  Manager,
  ObjectServer,
  RemoteError,
} from '@weft/manager';
import { describe, expect, it } from 'vitest';

const privateSocketProgram = fileURLToPath(new URL('./fixtures/private-socket-dir.mjs', import.meta.url));

describe('a hardened server', () => {
  it('each failed authentication makes that peer wait before its next try', async () => {
    await using listener = await Listener.listen(['127.0.0.1', 0], {
      authkey: 'right',
      limits: { authFailureDelay: 200 },
    });
    const started = performance.now();
    for (let i = 0; i < 6; i++) {
      await expect(Client(listener.address, { authkey: `wrong ${i}` })).rejects.toBeInstanceOf(
        AuthenticationError,
      );
    }
    // Five waits of 200 ms at least (the first guess is not delayed): a lower bound, never an upper one.
    expect(performance.now() - started).toBeGreaterThanOrEqual(5 * 200 - 20);
    // The right key still gets in, after the pause.
    const accepted = listener.accept();
    const conn = await Client(listener.address, { authkey: 'right' });
    (await accepted).close();
    conn.close();
  });

  it('a default Unix socket is made in a 0700 directory, removed when the process exits', () => {
    if (process.platform === 'win32') return;
    const address = execFileSync(process.execPath, [privateSocketProgram], {
      encoding: 'utf8',
      timeout: 30_000,
    }).trim();
    expect(address).toMatch(/weft-[^/]+\/listener-[0-9a-f]+\.sock$/);
    expect(existsSync(dirname(address))).toBe(false);
  });

  it('the directory is private while the manager runs, and the socket goes with shutdown', async () => {
    if (process.platform === 'win32') return;
    const manager = await Manager.start();
    const path = manager.address as string;
    const directory = statSync(dirname(path));
    expect(directory.mode & 0o777).toBe(0o700);
    expect(directory.uid).toBe(process.getuid!());
    expect(existsSync(path)).toBe(true);
    await manager.shutdown();
    expect(existsSync(path)).toBe(false);
  });

  it('a served weft Lock exposes acquire / release / locked, not toHandle or its word', async () => {
    await using server = await ObjectServer.start();
    const ref = await server.serve(new Lock(), 'object');
    const remote = connectRemote<Record<string, (...args: unknown[]) => Promise<unknown>>>(ref);
    expect(await remote.acquire!()).toBe(true);
    expect(await remote.locked!()).toBe(true);
    await remote.release!();
    await expect(remote.toHandle!()).rejects.toThrow(/has no method 'toHandle'/);
    await expect(remote.word!()).rejects.toThrow(/has no method 'word'/);
    await expect(remote.releaseForWait!()).rejects.toThrow(/has no method/);
    expect(await remote.locked!()).toBe(false);
  });

  it("a manager's built-in objects expose their API only, not their fields or helpers", async () => {
    await using manager = await Manager.start();
    const lock = await manager.Lock();
    const queue = await manager.JoinableQueue();
    const generic = (ref: typeof lock.ref) =>
      connectRemote<Record<string, (...args: unknown[]) => Promise<unknown>>>({ ...ref, typeid: 'object' });
    await expect(generic(lock.ref).held!()).rejects.toThrow(TypeError);
    await expect(generic(queue.ref).onPut!()).rejects.toThrow(/has no method 'onPut'/);
    await expect(generic(queue.ref).maxsize!()).rejects.toThrow(/has no method 'maxsize'/);
    expect(await lock.acquire()).toBe(true);
    await lock.release();
    await queue.put(1);
    expect(await queue.get()).toBe(1);
    await queue.taskDone();
  });

  it('a plain object served by its owner exposes its functions, not its data', async () => {
    await using server = await ObjectServer.start();
    const counter = {
      count: 0,
      secret: 'hidden',
      add(n: number) {
        this.count += n;
        return this.count;
      },
    };
    const remote = connectRemote<Record<string, (...args: unknown[]) => Promise<unknown>>>(
      await server.serve(counter),
    );
    expect(await remote.add!(2)).toBe(2);
    const error = await remote.secret!().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(RemoteError);
    expect((error as Error).message).toMatch(/has no method 'secret'/);
  });
});
