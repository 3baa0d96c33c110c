/** seeds/000_35bfbc5fd545abd3.txt: each example runs (sleeps scaled) and prints what its row must show. */
import { describe, expect, test } from 'vitest';
import { expectInOrder, lineIndex, matching, range, report, runOk } from './run-example.js';
import {
  checkCommunicate,
  checkForkPids,
  checkPoolOfFourWithFiveTasks,
  checkProcessStartJoin,
  checkQueueWriterReader,
} from './shared-checks.js';

describe('000 notes', () => {
  test('s0-01 fork: a child process prints its pid and its parent’s, which differ', async () => {
    checkForkPids(await runOk('s0-01'));
  });

  test('s0-02 Process(target, args): the child runs, the parent prints after join', async () => {
    checkProcessStartJoin(await runOk('s0-02'));
  });

  test('s0-03 Pool(4), 5 × applyAsync: at most 4 at once, each on its own worker, all done after join', async () => {
    checkPoolOfFourWithFiveTasks(await runOk('s0-03'));
  });

  test('s0-04 subprocess communicate: a child fed on stdin, its output captured', async () => {
    checkCommunicate(await runOk('s0-04'));
  });

  test('s0-05 Queue writer/reader: A, B, C written and read in order; the reader is terminated', async () => {
    checkQueueWriterReader(await runOk('s0-05'));
  });

  test('s0-06 LoopThread: its name and 5 ticks', async () => {
    const run = await runOk('s0-06');
    expectInOrder(run, [
      /^thread .+ is running\.\.\.$/,
      /^thread LoopThread is running\.\.\.$/,
      ...range(1, 6).map((n) => new RegExp(`^thread LoopThread >>> ${n}$`)),
      /^thread LoopThread ended\.$/,
    ]);
    expect(run.lines.at(-1)).toMatch(/^thread .+ ended\.$/);
  });

  test('s0-07 Lock around balance: exactly 0; the unlocked run prints its balance', async () => {
    const run = await runOk('s0-07');
    expect(run.lines[0], report(run)).toBe('0');
    expect(run.lines[1]).toMatch(/^without the lock \(1000000 rounds each\): balance = -?\d+/);
  });

  test('s0-08 two locks in opposite order: the deadlock is detected with a timeout and the process ends', async () => {
    const run = await runOk('s0-08');
    lineIndex(run, /^thread-1 waited 1000 ms for its second lock: deadlock, backing off$/);
    lineIndex(run, /^thread-2 got its second lock after the other thread backed off$/);
    expect(run.lines.at(-1)).toBe('both threads ended');
  });

  test('s0-09 local(): each thread sees only its own student', async () => {
    const run = await runOk('s0-09');
    expect(matching(run, /^hello, /).sort()).toEqual(
      ['hello, alice (in Thread-A)', 'hello, bob (in Thread-B)', run.lines.at(-1)].sort(),
    );
    expect(run.lines.at(-1)).toMatch(/^hello, main \(in .+\)$/);
  });

  test('s0-10 async IO: three tasks interleave on one event loop', async () => {
    const run = await runOk('s0-10');
    const lastStart = Math.max(
      ...[1, 2, 3].map((n) => lineIndex(run, new RegExp(`^Hello world! \\(task-${n}, thread 0\\)$`))),
    );
    const firstEnd = Math.min(
      ...[1, 2, 3].map((n) => lineIndex(run, new RegExp(`^Hello again! \\(task-${n}, thread 0\\)$`))),
    );
    expect(lastStart).toBeLessThan(firstEnd);
  });

  const checkMasterAndWorker = (lines: string[]) => {
    const puts = lines
      .filter((line) => line.startsWith('put task '))
      .map((line) => Number(line.match(/\d+/)![0]));
    expect(puts).toHaveLength(10);
    const results = lines.filter((line) => line.startsWith('Result: '));
    expect(results).toHaveLength(10);
    for (const result of results) {
      const [, n, m, square] = result.match(/^Result: (\d+) \* (\d+) = (\d+)$/)!;
      expect(n).toBe(m);
      expect(Number(square)).toBe(Number(n) ** 2);
      expect(puts).toContain(Number(n));
    }
    expect(lines.filter((line) => line.startsWith('run task '))).toHaveLength(10);
    expect(lines).toContain('worker exit.');
    expect(lines).toContain('worker exited with code 0');
    expect(lines.at(-1)).toBe('master exit.');
  };

  test('s0-11 task_master: BaseManager queues with authkey, 10 tasks out, 10 results back', async () => {
    const run = await runOk('s0-11');
    checkMasterAndWorker(run.lines);
  });

  test('s0-12 task_worker: a separate OS process squares the numbers; a wrong authkey is refused', async () => {
    const run = await runOk('s0-12');
    lineIndex(run, /^with a wrong authkey: refused \(/);
    checkMasterAndWorker(run.lines);
  });
});
