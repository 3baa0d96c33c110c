/** seeds/004_10c85533a5432f39.txt: each example runs (sleeps scaled) and prints what its row must show. */
import { describe, expect, test } from 'vitest';
import { expectInOrder, lineIndex, matching, range, report, runOk } from './run-example.js';
import { checkForkPids, checkLockedPrints } from './shared-checks.js';

describe('004 notes', () => {
  test('s4-01 fork return value (dup of s0-01)', async () => {
    checkForkPids(await runOk('s4-01'));
  });

  test('s4-02 Process(target=f, args=("john",)): hello john; name and args', async () => {
    const run = await runOk('s4-02');
    expectInOrder(run, [
      /^name: .+ \(the default name\), args: \["john"\]$/,
      /^hello john$/,
      /^name: greeter \(given with name\)$/,
      /^hello weft$/,
    ]);
  });

  test('s4-03 join(): the child’s lines come before 父进程结束', async () => {
    expect((await runOk('s4-03')).lines).toEqual(['父进程启动', '子进程开启', '子进程结束', '父进程结束']);
  });

  test('s4-04 cpuCount(): the core count', async () => {
    const run = await runOk('s4-04');
    expect(Number(run.lines[0]!.match(/^CPU核心数量: (\d+)$/)![1])).toBeGreaterThanOrEqual(1);
  });

  test('s4-05 a Process subclass with an endless run(): both tick, then are stopped', async () => {
    const run = await runOk('s4-05');
    lineIndex(run, /^我是进程 0 , 我的pid是: \d+/);
    lineIndex(run, /^我是进程 1 , 我的pid是: \d+/);
    expect(run.lines.at(-1)).toMatch(/^both terminated after 3 ticks each, exit codes: /);
    expect(matching(run, /^我是进程 0 /).length).toBeGreaterThanOrEqual(3);
    expect(matching(run, /^我是进程 1 /).length).toBeGreaterThanOrEqual(3);
  });

  test('s4-06 a global changed in a child: child 101, parent 100', async () => {
    expect((await runOk('s4-06')).lines).toEqual([
      '父进程开始',
      '子进程开始',
      '子进程num：101',
      '子进程结束',
      '父进程结束。num：100',
    ]);
  });

  test('s4-07 Queue: put in the child, get in the parent', async () => {
    expect((await runOk('s4-07')).lines).toEqual(["[42, null, 'hello']"]);
  });

  test('s4-08 Pipe: send in the child, recv in the parent', async () => {
    expect((await runOk('s4-08')).lines).toEqual(["[42, null, 'hello']"]);
  });

  test('s4-09 Value and Array', async () => {
    expect((await runOk('s4-09')).lines).toEqual(['3.1415927', '[0, -1, -2, -3, -4, -5, -6, -7, -8, -9]']);
  });

  test('s4-10 two workers add to a Value without a lock: ten values, both increments mixed', async () => {
    const run = await runOk('s4-10');
    const values = run.lines[0]!.split('|').filter(Boolean).map(Number);
    expect(values, report(run)).toHaveLength(10);
    const final = Number(run.lines.at(-1)!.match(/^final value: (\d+)$/)![1]);
    expect(final).toBeLessThanOrEqual(20);
  });

  test('s4-11 with a Lock: 1..5 then 8..20 in steps of 3', async () => {
    expect((await runOk('s4-11')).lines[0]).toBe('1|2|3|4|5|8|11|14|17|20|');
  });

  test('s4-12 a shared string Value', async () => {
    expect((await runOk('s4-12')).lines).toEqual([
      'parent: Hello World',
      'child reads: Hello World',
      'parent now reads: Hello from the child',
    ]);
  });

  test('s4-13 print under a Lock with try/finally: whole lines', async () => {
    checkLockedPrints(await runOk('s4-13'));
  });

  test('s4-14 flushed output of children: nothing lost', async () => {
    const run = await runOk('s4-14');
    expect(run.lines.at(-1)).toBe('all 10 children exited');
    expect(run.lines.slice(0, -1).sort()).toEqual(
      range(0, 10)
        .map((i) => `hello world ${i}`)
        .sort(),
    );
  });

  test('s4-15 Pool(4), 10 tasks, close, join, terminate', async () => {
    const run = await runOk('s4-15');
    expect(matching(run, /子进程开始，进程ID：/)).toHaveLength(10);
    expect(matching(run, /子进程结束，进程ID：.+。耗时[\d.]+$/)).toHaveLength(10);
    expect(run.lines[0]).toBe('父进程开始');
    expect(run.lines.at(-1)).toBe('父进程结束。');
  });

  test('s4-16 AsyncResult.get(timeout): 100, then a timeout error', async () => {
    const run = await runOk('s4-16');
    expect(run.lines[0]).toBe('100');
    expect(run.lines[1]).toMatch(/^TimeoutError: /);
  });

  test('s4-17 map and imap with next(timeout)', async () => {
    const run = await runOk('s4-17');
    expect(run.lines[0]).toBe('[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]');
    expect(run.lines.slice(2)).toEqual(['0', '1', '4']);
  });

  test('s4-18 join before get of a 1 MB item: weft says whether it deadlocks', async () => {
    const run = await runOk('s4-18');
    expect(run.lines[0]).toMatch(/^(no deadlock|join\(\) timed out)/);
    lineIndex(run, /got 1000000 characters/);
  });

  test('s4-19 two threads', async () => {
    expect((await runOk('s4-19')).lines.sort()).toEqual([
      'current task： thread 1',
      'current task： thread 2',
    ]);
  });

  test('s4-20 a thread subclass with run()', async () => {
    expect((await runOk('s4-20')).lines.sort()).toEqual([
      'current task： thread 1',
      'current task： thread 2',
    ]);
  });

  test('s4-21 isAlive and name: false, name, true, false', async () => {
    const run = await runOk('s4-21');
    expect(run.lines).toHaveLength(4);
    expect([run.lines[0], run.lines[2], run.lines[3]]).toEqual(['false', 'true', 'false']);
    expect(run.lines[1]).toMatch(/\S/);
  });

  test('s4-22 a Lock with a timeout: num 1..5', async () => {
    const run = await runOk('s4-22');
    expect(run.lines.map((line) => line.match(/^Thread-\d : num value is {2}(\d)$/)?.[1])).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
  });

  test('s4-23 RLock acquired twice by one thread: no deadlock', async () => {
    const run = await runOk('s4-23');
    expect(matching(run, /^thread Thread-\d get mutex$/)).toHaveLength(5);
    expect(run.lines.at(-1)).toBe('all 5 threads done: no deadlock');
  });

  test('s4-24 Condition.waitFor answered at a >>> prompt (default yes when stdin is not a terminal)', async () => {
    const run = await runOk('s4-24');
    const prompt = lineIndex(run, /^>>>yes/);
    const released = run.lines.slice(prompt + 1);
    expect(released.sort()).toEqual(range(100, 110).map(String).sort());
  });

  test('s4-24 with piped answers: "no" keeps them waiting, "yes" releases them', async () => {
    const run = await runOk('s4-24', { input: 'no\nyes\n' });
    expect(lineIndex(run, /^>>>yes$/)).toBeGreaterThan(lineIndex(run, /^>>>no$/));
    expect(matching(run, /^1\d\d$/)).toHaveLength(10);
    expect(run.lines.findIndex((line) => /^1\d\d$/.test(line))).toBeGreaterThan(lineIndex(run, /^>>>yes$/));
  });

  test('s4-25 BoundedSemaphore(5), 20 threads: never more than 5 at once', async () => {
    const run = await runOk('s4-25');
    expect(matching(run, /^run the thread: \d+$/)).toHaveLength(20);
    const most = Number(run.lines[lineIndex(run, /^at most \d+ threads/)]!.match(/\d+/)![0]);
    expect(most).toBeLessThanOrEqual(5);
    lineIndex(run, /^one release too many: \w+: /);
  });

  test('s4-26 Event set at a >>> prompt: waiters run after set()', async () => {
    const run = await runOk('s4-26');
    const prompt = lineIndex(run, /^>>>1/);
    expect(matching(run, /^\d$/).sort()).toEqual(range(0, 10).map(String));
    const after = run.lines.slice(prompt + 1).filter((line) => /^\d+$/.test(line) && Number(line) >= 100);
    expect(after.sort()).toEqual(range(100, 110).map(String).sort());
    expect(matching(run, /^1\d\d$/)).toHaveLength(10);
  });

  test('s4-27 Timer: hello, world after the interval', async () => {
    const run = await runOk('s4-27');
    expectInOrder(run, [/^starting the timer$/, /^hello, world$/]);
  });

  test('s4-28 Queue(5): put, get, taskDone, qsize, empty, full', async () => {
    expect((await runOk('s4-28')).lines).toEqual(['111', '222', '1', 'false', 'false']);
  });

  test('s4-29 producers and a consumer with a Condition: a bounded run, the same messages', async () => {
    const run = await runOk('s4-29');
    expect(run.lines.slice(0, 3)).toEqual([
      'Producer P1 Started',
      'Producer P2 Started',
      'Consumer C1 Started',
    ]);
    expect(matching(run, /^P[12] put value P[12] \d+ in queue$/).length).toBeGreaterThanOrEqual(8);
    expect(matching(run, /^C1 get value P[12] : \d+ from queue$/).length).toBeGreaterThanOrEqual(8);
    expect(run.lines.at(-1)).toMatch(/^stopped after a bounded run; \d+ items left in the queue$/);
  });

  test('s4-30 PriorityQueue of tuples in Python’s order', async () => {
    expect((await runOk('s4-30')).lines).toEqual([
      "(-2, 'sleep')",
      "(-1, 'life')",
      "(1, 'drink')",
      "(1, 'work')",
    ]);
  });

  test('s4-31 download threads against a local HTTP server', async () => {
    const run = await runOk('s4-31');
    expect(matching(run, /^Thread-\d begin download http:\/\/127\.0\.0\.1:\d+\/www\./)).toHaveLength(3);
    // q.join() returns at the last taskDone(), which comes just before that thread's "completed" line:
    // as in Python, the line may come after the listing, or not at all once the daemons are stopped.
    expect(matching(run, /^Thread-\d download completed$/).length).toBeLessThanOrEqual(3);
    const files = run.lines
      .slice(lineIndex(run, /^q\.join\(\) returned/) + 1)
      .filter((line) => line.startsWith('  '));
    expect(files.map((line) => line.trim().split(':')[0])).toEqual([
      'www.baidu.com.html',
      'www.douban.com.html',
      'www.python.org.html',
    ]);
    for (const line of files) expect(Number(line.match(/: (\d+) bytes$/)![1])).toBeGreaterThan(1000);
  });

  test('s4-32 a thread pool maps get over the local server’s URLs', async () => {
    const run = await runOk('s4-32');
    expect(run.lines.map((line) => line.replace(/:\d+\//, ':PORT/').replace(/ \d+ bytes$/, ''))).toEqual(
      ['www.baidu.com', 'www.sina.com.cn', 'www.163.com', 'www.qq.com', 'www.taobao.com'].map(
        (site) => `http://127.0.0.1:PORT/${site} 200`,
      ),
    );
  });

  test('s4-33 ThreadPoolExecutor: submit, map, result 8', async () => {
    const run = await runOk('s4-33');
    expect(run.lines[0]).toBe("call func ['a', 'b', 'c', 'd']");
    expect(run.lines.slice(1, 5).sort()).toEqual([
      'call func a',
      'call func b',
      'call func c',
      'call func d',
    ]);
    expect(run.lines[5]).toBe('8');
  });

  test('s4-34 two futures waiting on each other: the deadlock is reported and the example ends', async () => {
    const run = await runOk('s4-34');
    expect(run.lines, report(run)).toHaveLength(2);
    expect(run.lines[0]).toMatch(/^a: \w+: .*deadlock/);
    expect(run.lines[1]).toMatch(/^b: \w+: .*deadlock/);
  });

  test('s4-35 a double-checked-locking singleton: one instance everywhere', async () => {
    const run = await runOk('s4-35');
    const ids = run.stdout.match(/<Singleton object id=\d+>/g) ?? [];
    expect(ids, report(run)).toHaveLength(12);
    expect(new Set(ids).size).toBe(1);
    expect(run.lines.at(-1)).toBe('instances created: 1');
  });

  test('s4-36 normal vs threads vs processes: the same result, three timings', async () => {
    const run = await runOk('s4-36');
    const result = '499999666667166666000000';
    expect(run.lines.filter((line) => !line.includes('time:'))).toEqual([
      `normal: ${result}`,
      `multithread: ${result}`,
      `multicore: ${result}`,
    ]);
    expect(matching(run, /^(normal|multithread|multicore) time: [\d.]+$/)).toHaveLength(3);
  });
});
