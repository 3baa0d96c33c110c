/** Checks used by two rows each (a row and its duplicate). */
import { expect } from 'vitest';
import { type ExampleRun, expectInOrder, lineIndex, matching, range, report } from './run-example.js';

export function checkForkPids(run: ExampleRun): void {
  const start = lineIndex(run, /^Process \(\d+\) start\.\.\.$/);
  const parentPid = run.lines[start]!.match(/\d+/)![0];
  const created =
    run.lines[lineIndex(run, /^I \(\d+\) just created a child process \(\d+\)\.$/)]!.match(
      /\((\d+)\).*\((\d+)\)/,
    )!;
  const child =
    run.lines[lineIndex(run, /^I am child process \(\d+\) and my parent is \d+\.$/)]!.match(
      /\((\d+)\).* (\d+)\.$/,
    )!;
  expect(created[1]).toBe(parentPid);
  expect(child[2], 'the child names the parent').toBe(parentPid);
  expect(child[1], 'the child reports the pid the parent was given').toBe(created[2]);
  expect(child[1], 'parent and child pids differ').not.toBe(parentPid);
}

export function checkProcessStartJoin(run: ExampleRun): void {
  expectInOrder(run, [
    /^Parent process \d+\.$/,
    /^Child process will start\.$/,
    /^Run child process test \(.+\)\.\.\.$/,
    /^Child process end\.$/,
  ]);
}

/** Pool(4) with 5 tasks: 4 distinct workers start first; the 5th task starts only after one ended. */
export function checkPoolOfFourWithFiveTasks(run: ExampleRun): void {
  const runs = run.lines
    .map((line, i) => [line, i] as const)
    .filter(([line]) => /^Run task \d \(.+\)\.\.\.$/.test(line));
  const ends = run.lines
    .map((line, i) => [line, i] as const)
    .filter(([line]) => /^Task \d runs [\d.]+ seconds\.$/.test(line));
  expect(runs.map(([line]) => line.match(/\d/)![0]).sort(), report(run)).toEqual(['0', '1', '2', '3', '4']);
  expect(ends).toHaveLength(5);
  expect(runs[4]![1], 'the 5th task starts after one has ended').toBeGreaterThan(ends[0]![1]);
  const firstFourWorkers = runs.slice(0, 4).map(([line]) => line.match(/\((.+)\)/)![1]);
  expect(new Set(firstFourWorkers).size, 'four distinct workers').toBe(4);
  expect(run.lines.at(-1)).toBe('All subprocesses done.');
}

export function checkQueueWriterReader(run: ExampleRun): void {
  for (const value of ['A', 'B', 'C']) {
    expect(lineIndex(run, new RegExp(`^Get ${value} from queue\\.$`))).toBeGreaterThan(
      lineIndex(run, new RegExp(`^Put ${value} to queue\\.\\.\\.$`)),
    );
  }
  expect(matching(run, /^Get . from queue\.$/)).toEqual([
    'Get A from queue.',
    'Get B from queue.',
    'Get C from queue.',
  ]);
  lineIndex(run, /^Process to write: /);
  lineIndex(run, /^Process to read: /);
  expect(run.lines.at(-1)).toBe('reader terminated (alive: false)');
}

export function checkCommunicate(run: ExampleRun): void {
  expectInOrder(run, [
    /^\$ node child-program \(parent \d+\)$/,
    /^> set q=mx$/,
    /SET Q=MX/,
    /^> python\.org$/,
    /^child \d+ read 25 bytes on stdin$/,
    /^Exit code: 0$/,
  ]);
  expect(matching(run, /exit$/)).toEqual([]);
}

export function checkProcessQueue(run: ExampleRun): void {
  expect(run.lines).toEqual(["[42, null, 'heelo']"]);
}

export function checkLockedPrints(run: ExampleRun): void {
  expect([...run.lines].sort(), report(run)).toEqual(
    range(0, 10)
      .map((i) => `hello world ${i}`)
      .sort(),
  );
}
