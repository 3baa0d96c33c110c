/** seeds/002_c95671d694233dbc.txt: each example runs (sleeps scaled) and prints what its row must show. */
import { describe, expect, test } from 'vitest';
import { lineIndex, matching, report, runOk } from './run-example.js';
import {
  checkForkPids,
  checkPoolOfFourWithFiveTasks,
  checkProcessStartJoin,
  checkQueueWriterReader,
} from './shared-checks.js';

describe('002 notes', () => {
  test('s2-01 fork (dup of s0-01)', async () => {
    checkForkPids(await runOk('s2-01'));
  });

  test('s2-02 Process (dup of s0-02)', async () => {
    checkProcessStartJoin(await runOk('s2-02'));
  });

  test('s2-03 Pool(4), applyAsync × 5 (dup of s0-03)', async () => {
    checkPoolOfFourWithFiveTasks(await runOk('s2-03'));
  });

  test('s2-04 pool.map blocks until all are done', async () => {
    const run = await runOk('s2-04');
    const runs = matching(run, /^Run task \d /);
    const ends = matching(run, /^Task \d runs /);
    expect(runs, report(run)).toHaveLength(5);
    expect(ends).toHaveLength(5);
    const lastEnd = Math.max(...ends.map((line) => run.lines.indexOf(line)));
    expect(lineIndex(run, /^All subprocesses done\.$/)).toBeGreaterThan(lastEnd);
    expect(run.lines.indexOf(runs[4]!)).toBeGreaterThan(run.lines.indexOf(ends[0]!));
  });

  test('s2-05 Queue writer/reader (dup of s0-05)', async () => {
    checkQueueWriterReader(await runOk('s2-05'));
  });

  test('s2-06 CSV files imported by Pool.map: every row, every file once', async () => {
    const run = await runOk('s2-06');
    const total = Number(run.lines[0]!.match(/^made 16 CSV files, (\d+) rows in all$/)![1]);
    for (const pattern of [/^split by hand: (\d+) rows imported/, /^Pool\.map: +(\d+) rows imported/]) {
      const line = run.lines[lineIndex(run, pattern)]!;
      expect(Number(line.match(pattern)![1])).toBe(total);
      const perWorker = line
        .match(/rows per worker: ([\d, ]+)$/)![1]!
        .split(', ')
        .map(Number);
      expect(perWorker.reduce((a, b) => a + b, 0)).toBe(total);
    }
    expect(run.lines.at(-1)).toBe('every file imported once: true');
  });
});
