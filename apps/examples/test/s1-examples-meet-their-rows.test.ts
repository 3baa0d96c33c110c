/** seeds/001_735ae49c9afa6657.txt: each example runs (sleeps scaled) and prints what its row must show. */
import { describe, expect, test } from 'vitest';
import { expectInOrder, lineIndex, matching, range, report, runOk } from './run-example.js';
import { checkLockedPrints, checkProcessQueue } from './shared-checks.js';

const child1 = "[42, null, 'hello from child1']";
const child2 = "[42, null, 'hello from child2']";

describe('001 notes', () => {
  test('s1-01 10 processes sleeping 2 s: all ten say heelo', async () => {
    const run = await runOk('s1-01');
    expect(matching(run, /^heelo bob\d$/).sort()).toEqual(range(0, 10).map((i) => `heelo bob${i}`));
    expect(run.lines.at(-1)).toMatch(/^10 processes sleeping 2 s each took [\d.]+ s in all/);
  });

  test('s1-02 a thread in each process: distinct thread idents', async () => {
    const run = await runOk('s1-02');
    expect(matching(run, /^heelo bob\d$/)).toHaveLength(10);
    const idents = matching(run, /^\d+$/);
    expect(idents, report(run)).toHaveLength(10);
    expect(new Set(idents).size).toBe(10);
  });

  test('s1-03 info of the main process', async () => {
    const run = await runOk('s1-03');
    expectInOrder(run, [
      /^main process line$/,
      /^module name: __main__$/,
      /^parent process: \d+$/,
      /^process id: \d+$/,
    ]);
  });

  test('s1-04 info in parent and child: the child’s module name and pid differ', async () => {
    const run = await runOk('s1-04');
    expectInOrder(run, [
      /^main process line$/,
      /^module name: __main__$/,
      /^parent process: \d+$/,
      /^process id: \d+$/,
      /^called from child process function f$/,
      /^module name: __mp_main__$/,
      /^parent process: \d+$/,
      /^process id: \d+$/,
      /^hello bob$/,
    ]);
    const [parentPid, childPid] = matching(run, /^process id: /).map((line) => line.split(': ')[1]);
    const childsParent = matching(run, /^parent process: /)[1]!.split(': ')[1];
    expect(childPid).not.toBe(parentPid);
    expect(childsParent).toBe(parentPid);
  });

  test('s1-05 a Queue between threads', async () => {
    expect((await runOk('s1-05')).lines).toEqual(["[42, null, 'heelo']"]);
  });

  test('s1-06 a worker cannot see the parent’s variables', async () => {
    const run = await runOk('s1-06');
    lineIndex(run, /^Process .+: TypeError: Cannot read properties of undefined \(reading 'put'\)$/);
    lineIndex(run, /^parent: nothing arrived in 2 s \(.+\): the child never saw q$/);
    expect(run.lines.at(-1)).toMatch(/^child exit code: [1-9]\d*$/);
  });

  test('s1-07 an argument that cannot cross to a worker fails at once with a clear error', async () => {
    const run = await runOk('s1-07');
    expect(run.lines, report(run)).toHaveLength(1);
    // thrown by p.start() itself, naming where the value sits in args
    expect(run.lines[0]).toMatch(/^DataCloneError: args\[0\].*ThreadOnlyQueue/);
  });

  test('s1-08 a Queue between parent and child', async () => {
    checkProcessQueue(await runOk('s1-08'));
  });

  test('s1-09 Pipe: one message', async () => {
    expect((await runOk('s1-09')).lines).toEqual([child1]);
  });

  test('s1-10 two sent, one received: only the first', async () => {
    expect((await runOk('s1-10')).lines).toEqual([child1]);
  });

  test('s1-11 two sent, two received: both', async () => {
    expect((await runOk('s1-11')).lines).toEqual([child1, child2]);
  });

  test('s1-12 a third receive would block: shown with poll, then the example ends', async () => {
    const run = await runOk('s1-12');
    expect(run.lines.slice(0, 2)).toEqual([child1, child2]);
    expect(run.lines[2]).toMatch(
      /^third recv\(\): (nothing arrived within 2 s — recv\(\) would block here forever|EOFError — )/,
    );
    expect(run.lines).toHaveLength(3);
  });

  test('s1-13 both ends send and receive', async () => {
    expect((await runOk('s1-13')).lines).toEqual([child1, child2, 'data from parent_conn']);
  });

  const listOf = (line: string) => JSON.parse(line) as number[];

  test('s1-14 Manager dict and list shared by 10 processes: every pid appended', async () => {
    const run = await runOk('s1-14');
    const lists = matching(run, /^\[0, 1, 2, 3, 4/).map(listOf);
    expect(lists, report(run)).toHaveLength(11);
    const final = lists.at(-1)!;
    expect(final).toHaveLength(15);
    expect(new Set(final.slice(5)).size).toBe(10);
    expect(run.lines.at(-2)).toBe("{1: '1', '2': 2, 0.25: null}");
  });

  test('s1-15 Manager dict keyed by pid: 10 entries', async () => {
    const run = await runOk('s1-15');
    const final = listOf(run.lines.at(-1)!);
    expect(final.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
    const pids = final.slice(5);
    expect(new Set(pids).size).toBe(10);
    const dict = run.lines.at(-2)!;
    const entries = [...dict.matchAll(/(\d+): (\d+)/g)];
    expect(entries, dict).toHaveLength(10);
    for (const [, key, value] of entries) expect(key).toBe(value);
    expect(entries.map(([, key]) => Number(key)).sort()).toEqual([...pids].sort());
  });

  test('s1-16 Lock around print in 10 processes: whole lines', async () => {
    checkLockedPrints(await runOk('s1-16'));
  });

  const inProcess = /^in process \d+( thread \d+)?$/;

  test('s1-17 Pool.apply × 10: one at a time, then end', async () => {
    const run = await runOk('s1-17');
    expect(matching(run, inProcess)).toHaveLength(10);
    expect(run.lines.at(-1)).toBe('end');
    expect(run.lines).toHaveLength(11);
  });

  test('s1-18 applyAsync and close() without join(): only end', async () => {
    expect((await runOk('s1-18')).lines).toEqual(['end']);
  });

  test('s1-19 applyAsync, close(), join(): end first, then all ten', async () => {
    const run = await runOk('s1-19');
    expect(run.lines[0]).toBe('end');
    expect(matching(run, inProcess)).toHaveLength(10);
    expect(run.lines).toHaveLength(11);
  });

  test('s1-20 callbacks run in the main process', async () => {
    const run = await runOk('s1-20');
    const mainId = run.lines[0]!.match(/^主进程: (\d+)$/)![1];
    const done = matching(run, /^-->exec done: /);
    expect(done.sort()).toEqual(range(100, 110).map((n) => `-->exec done: ${n} ${mainId}`));
    expect(matching(run, inProcess)).toHaveLength(10);
    expect(run.lines).toContain('end');
  });
});
