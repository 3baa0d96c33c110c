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

/**
 * Pool(4) with 5 tasks: all five run and end; never more than 4 run at once, and tasks that run at the
 * same time run on distinct workers. (How many overlap depends on the random sleeps and on how fast
 * the workers start, so "exactly 4 at first" is not something the output can promise.)
 */
export function checkPoolOfFourWithFiveTasks(run: ExampleRun): void {
  const running = new Map<string, string>(); // task -> worker
  let most = 0;
  for (const line of run.lines) {
    const started = line.match(/^Run task (\d) \((.+)\)\.\.\.$/);
    if (started) {
      expect([...running.values()], `${started[2]} runs two tasks at once\n${report(run)}`).not.toContain(
        started[2],
      );
      running.set(started[1]!, started[2]!);
      most = Math.max(most, running.size);
    }
    const ended = line.match(/^Task (\d) runs [\d.]+ seconds\.$/);
    if (ended) expect(running.delete(ended[1]!), `task ${ended[1]} ended before it started`).toBe(true);
  }
  expect(
    matching(run, /^Run task \d /)
      .map((line) => line[9])
      .sort(),
    report(run),
  ).toEqual(['0', '1', '2', '3', '4']);
  expect(matching(run, /^Task \d runs /)).toHaveLength(5);
  expect(most, 'never more than 4 at once').toBeLessThanOrEqual(4);
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
