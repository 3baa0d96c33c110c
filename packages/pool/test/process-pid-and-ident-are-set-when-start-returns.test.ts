import { currentProcess, Process } from '@weft/pool';
import { Queue } from '@weft/queue';
import { describe, expect, it } from 'vitest';
import { putIdentity, sleepy } from './fixtures/processes.mjs';

describe('pid and ident right after start()', () => {
  it("context 'process': pid and ident are the child's pid, as the child reports it", async () => {
    const queue = new Queue<number[]>();
    const p = new Process({ target: putIdentity, args: [queue], context: 'process' });
    expect(p.pid).toBeUndefined();
    p.start();
    const pid = p.pid;
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(process.pid);
    expect(p.ident).toBe(pid);
    const [osPid, reportedPid, reportedIdent] = await queue.get({ timeout: 60_000 });
    expect(osPid).toBe(pid);
    expect(reportedPid).toBe(pid);
    expect(reportedIdent).toBe(pid);
    await p.join();
    expect(p.exitCode).toBe(0);
    expect(p.pid).toBe(pid);
  });

  it("context 'thread': ident is the worker's thread id, as the child reports it; pid is ours", async () => {
    const queue = new Queue<number[]>();
    const p = new Process({ target: putIdentity, args: [queue] });
    expect(p.ident).toBeUndefined();
    p.start();
    const ident = p.ident;
    expect(ident).toBeGreaterThan(0);
    expect(ident).not.toBe(currentProcess().ident);
    expect(p.pid).toBe(process.pid);
    const [osPid, reportedPid, reportedIdent] = await queue.get({ timeout: 60_000 });
    expect(osPid).toBe(process.pid);
    expect(reportedPid).toBe(process.pid);
    expect(reportedIdent).toBe(ident);
    await p.join();
    expect(p.exitCode).toBe(0);
  });

  it.each(['thread', 'process'] as const)(
    '%s: terminate() right after start() (before the target is sent) ends the child with -15',
    async (context) => {
      const p = new Process({ target: sleepy, args: [60_000], context });
      p.start();
      expect(context === 'process' ? p.pid : p.ident).toBeGreaterThan(0);
      p.terminate();
      await p.join();
      expect(p.exitCode).toBe(-15);
      expect(p.isAlive()).toBe(false);
    },
  );

  it.each(['thread', 'process'] as const)(
    '%s: a process without a target starts a child that ends with 0',
    async (context) => {
      const p = new Process({ context });
      p.start();
      expect(context === 'process' ? p.pid : p.ident).toBeGreaterThan(0);
      await p.join();
      expect(p.exitCode).toBe(0);
    },
  );
});
