/** seeds/003_a45aef1e4cf1acde.txt: each example runs (sleeps scaled) and prints what its row must show. */
import { describe, expect, test } from 'vitest';
import { expectInOrder, lineIndex, matching, range, report, runOk } from './run-example.js';
import { checkCommunicate, checkLockedPrints, checkProcessQueue } from './shared-checks.js';

const list = (line: string) => JSON.parse(line) as number[];

describe('003 notes', () => {
  test('s3-01 Pool(8), 16 tasks × 5 prints: all printed, total time shown', async () => {
    const run = await runOk('s3-01');
    expect(run.stdout.match(/Run child process Process\d+ \(/g), report(run)).toHaveLength(80);
    expect(run.lines).toContain('All subprocesses done');
    expect(run.lines.at(-1)).toMatch(/^All process ran [\d.]+ seconds\.$/);
  });

  test('s3-02 the same under a Lock: lines never interleave', async () => {
    const run = await runOk('s3-02');
    const lines = matching(run, /Run child process/);
    expect(lines, report(run)).toHaveLength(80);
    for (const line of lines) expect(line).toMatch(/^Run child process Process\d+ \([^()]+\)$/);
  });

  test('s3-03 Semaphore(2): at most 2 holders at once', async () => {
    const run = await runOk('s3-03');
    expect(matching(run, /acquired the semaphore/)).toHaveLength(6);
    const most = Number(run.lines.at(-1)!.match(/^Semaphore\(2\): at most (\d) held it at once$/)![1]);
    expect(most).toBeGreaterThanOrEqual(1);
    expect(most).toBeLessThanOrEqual(2);
  });

  test('s3-04 a global list extended in two workers: the parent’s is unchanged', async () => {
    const run = await runOk('s3-04');
    expect(run.lines.slice(0, 2).sort()).toEqual([
      `[1, 2, 3, ${range(20, 30).join(', ')}]`,
      `[1, 2, 3, ${range(30, 40).join(', ')}]`,
    ]);
    expect(run.lines.at(-1)).toBe('[1, 2, 3]');
  });

  test('s3-05 Queue + Lock: the combined list', async () => {
    const run = await runOk('s3-05');
    expect(run.lines.slice(0, 2).sort()).toEqual([
      `[${range(20, 30).join(', ')}]`,
      `[${range(30, 40).join(', ')}]`,
    ]);
    const combined = list(run.lines.at(-1)!);
    expect(combined.slice(0, 3)).toEqual([1, 2, 3]);
    expect([...combined].sort((a, b) => a - b)).toEqual([1, 2, 3, ...range(20, 40)]);
  });

  test('s3-06 every Queue method and both exceptions', async () => {
    const run = await runOk('s3-06');
    expect(run.lines, report(run)).toEqual([
      'qsize: 0 empty: true full: false',
      'after 3 puts: qsize: 3 empty: false full: true',
      'put(4, { block: false }) on a full queue: raised Full',
      'put(4, { timeout: 500 }) on a full queue: raised Full',
      'putNowait(4) on a full queue: raised Full',
      'get(): 1',
      'getNowait(): 2',
      'get({ block: false }): 3',
      'qsize: 0 empty: true full: false',
      'get({ block: false }) on an empty queue: raised Empty',
      'get({ timeout: 500 }) on an empty queue: raised Empty',
      'getNowait() on an empty queue: raised Empty',
      'put(4) on a full queue blocks...',
      'worker: get() after 1 s',
      '...until the worker took one; put(4) done',
      'left in the queue: [2, 3, 4]',
    ]);
  });

  test('s3-07 join(2000) returns with the receiver still blocked; it is then stopped', async () => {
    const run = await runOk('s3-07');
    expectInOrder(run, [
      /^proc2 recieve: Hello,This is proc1$/,
      /^after join\(2000\): proc2 alive: true/,
      /^end all processes\.$/,
    ]);
  });

  test('s3-08 a one-way pipe: sending on the receive end fails', async () => {
    const run = await runOk('s3-08');
    expectInOrder(run, [
      /^pipe\[0\] readable: true, writable: false$/,
      /^pipe\[1\] readable: false, writable: true$/,
      /^pipe\[0\]\.send\(\.\.\.\) on the receive end: \w+: .+/,
      /^proc2 recieve: Hello,This is proc1$/,
      /^end all processes\.$/,
    ]);
  });

  test('s3-09 Manager dict and list filled by a child', async () => {
    const run = await runOk('s3-09');
    expect(run.stdout).toContain(
      `{${range(0, 10)
        .map((i) => `'arg${i}': ${i * i}`)
        .join(', ')}}`,
    );
    expect(run.stdout).toContain('[11, 12, 13, 14, 15]');
  });

  test('s3-10 JoinableQueue: join() returns when every item is done', async () => {
    const run = await runOk('s3-10');
    expect(matching(run, /^consumed /)).toEqual(range(1, 6).map((i) => `consumed ${i}`));
    expect(lineIndex(run, /^join\(\) returned/)).toBeGreaterThan(lineIndex(run, /^consumed 5$/));
  });

  test('s3-11 an anonymous OS pipe: bytes from child to parent', async () => {
    const run = await runOk('s3-11');
    expect(matching(run, /got \[Spam/).map((line) => line.match(/\[(.+)\]/)![1])).toEqual(
      range(0, 5).map((i) => `Spam 00${i}`),
    );
    expect(run.lines.at(-1)).toBe('pipe closed by the child, exit code 0');
  });

  test('s3-12 multiprocessing.Queue (dup of s1-08)', async () => {
    checkProcessQueue(await runOk('s3-12'));
  });

  test('s3-13 a Value and an Array changed by a child', async () => {
    const run = await runOk('s3-13');
    expect(run.lines).toEqual([
      'through the Queue',
      'through the Pipe',
      '3.1415927',
      '[0, -1, -2, -3, -4, -5, -6, -7, -8, -9]',
    ]);
  });

  test('s3-14 Listener/Client with authkey: requests per second', async () => {
    const run = await runOk('s3-14');
    lineIndex(run, /^client: wrong authkey refused \(\w+: .+\)$/);
    lineIndex(run, /^server: connection accepted$/);
    lineIndex(run, /^server: 1000 requests answered, \d+ requests per second$/);
    expect(run.lines.at(-1)).toBe('client exit code: 0');
  });

  test('s3-15 Lock, Semaphore, Event: file lines never interleave', async () => {
    const run = await runOk('s3-15');
    const fileLines = matching(run, /^Lock acquired /);
    expect(fileLines).toHaveLength(6);
    const kinds = fileLines.map((line) => (line.includes('via with') ? 'with' : 'direct'));
    expect([kinds.slice(0, 3), kinds.slice(3)].map((k) => new Set(k).size)).toEqual([1, 1]);
    let holding = 0;
    for (const line of run.lines) {
      if (/ acquire semaphore$/.test(line)) holding++;
      if (/ release semaphore$/.test(line)) holding--;
      expect(holding).toBeLessThanOrEqual(2);
    }
    expect(matching(run, / acquire semaphore$/)).toHaveLength(4);
    lineIndex(run, /^wait_for_event_timeout: e\.is_set\(\)-> false$/);
    expect(lineIndex(run, /^wait_for_event: e\.is_set\(\)-> true$/)).toBeGreaterThan(
      lineIndex(run, /^main: setting the event$/),
    );
  });

  test('s3-16 a named shared block written by one worker, read by another', async () => {
    const run = await runOk('s3-16');
    expectInOrder(run, [
      /^created shared block \S+, \d+ bytes$/,
      /^writer: wrote \d+ bytes into block/,
      /^reader: read from block \S+: Hello from the writer, 你好 via shared memory$/,
    ]);
  });

  test('s3-17 func(lock, a) (dup of s1-16)', async () => {
    checkLockedPrints(await runOk('s3-17'));
  });

  test('s3-18 a FIFO between two processes (Linux)', async () => {
    const run = await runOk('s3-18');
    if (process.platform === 'linux') {
      expect(matching(run, /^reader \d+ got: message \d from writer \d+$/)).toHaveLength(3);
      expect(run.lines.at(-1)).toBe('writer closed its end, exit code 0');
    } else {
      expect(run.lines[0]).toMatch(/^skipped: /);
    }
  });

  test('s3-19 whole-file locking between processes: blocks never interleave', async () => {
    const run = await runOk('s3-19');
    const body = run.lines.slice(lineIndex(run, /^data\.txt:$/) + 1);
    expect(body, report(run)).toHaveLength(6);
    const owners = body.map((line) => line.split(' ')[0]);
    expect(new Set(owners.slice(0, 3)).size).toBe(1);
    expect(new Set(owners.slice(3)).size).toBe(1);
    expect(owners[0]).not.toBe(owners[3]);
  });

  test('s3-20 Popen writing to a child’s stdin (dup of s0-04)', async () => {
    checkCommunicate(await runOk('s3-20'));
  });

  test('s3-21 AF_UNIX socket echo', async () => {
    const run = await runOk('s3-21');
    expect(
      matching(run, /^client \d+ sent /).map((line) =>
        line.replace(/^client \d+ /, '').replace(/\d{2,}/g, 'PID'),
      ),
    ).toEqual([
      'sent "hello", got "echo: hello"',
      'sent "from client", got "echo: from client"',
      'sent "PID", got "echo: PID"',
    ]);
    expect(run.lines.at(-1)).toBe('client exited with code 0');
  });
});
