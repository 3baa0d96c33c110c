import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { catalog, fileOf } from '../src/catalog.js';

export interface ExampleRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout split into lines, trailing empty line dropped. */
  lines: string[];
  /** Whether the example was killed for running longer than `killAfterMs`. */
  killed: boolean;
}

/** An example still running after this long is stuck: it is killed and its test fails at once. */
const killAfterMs = 90_000;

const appDir = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs one example exactly as a user would after the build (`node dist/<id>-<slug>.js`) with its sleeps
 * scaled by WEFT_TIME_SCALE=0.05, stdin not a terminal (so prompts take their default answer).
 */
export function runExample(
  id: string,
  options: { input?: string; timeScale?: number } = {},
): Promise<ExampleRun> {
  const entry = catalog.find((candidate) => candidate.id === id);
  if (!entry) throw new Error(`no catalog entry ${id}`);
  const file = fileURLToPath(new URL(`../dist/${fileOf(entry).replace(/\.ts$/, '.js')}`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], {
      cwd: appDir,
      env: { ...process.env, WEFT_TIME_SCALE: String(options.timeScale ?? 0.05), NO_COLOR: '1' },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, killAfterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const lines = stdout.split('\n');
      if (lines.at(-1) === '') lines.pop();
      resolve({ code, signal, stdout, stderr, lines, killed });
    });
  });
}

/** The example's whole output, for failure messages. */
export function report(run: ExampleRun): string {
  const killed = run.killed ? ` (killed: still running after ${killAfterMs} ms)` : '';
  return `exit ${run.code} ${run.signal ?? ''}${killed}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

/** Runs the example and checks that it ended by itself with exit code 0; returns the run. */
export async function runOk(id: string, options: { input?: string } = {}): Promise<ExampleRun> {
  const run = await runExample(id, options);
  expect(run.code, report(run)).toBe(0);
  return run;
}

/** The lines matching `pattern`. */
export function matching(run: ExampleRun, pattern: RegExp): string[] {
  return run.lines.filter((line) => pattern.test(line));
}

/** Index of the first line matching `pattern`; fails the test (with the output) if there is none. */
export function lineIndex(run: ExampleRun, pattern: RegExp): number {
  const index = run.lines.findIndex((line) => pattern.test(line));
  expect(index, `no line matches ${pattern}\n${report(run)}`).toBeGreaterThanOrEqual(0);
  return index;
}

/** Checks that lines matching each pattern exist and come in this order. */
export function expectInOrder(run: ExampleRun, patterns: RegExp[]): void {
  let previous = -1;
  for (const pattern of patterns) {
    const index = run.lines.findIndex((line, i) => i > previous && pattern.test(line));
    expect(index, `no line matching ${pattern} after line ${previous}\n${report(run)}`).toBeGreaterThan(
      previous,
    );
    previous = index;
  }
}

/** `[0, 1, …, n-1]`. */
export function range(start: number, end: number, step = 1): number[] {
  const values: number[] = [];
  for (let i = start; i < end; i += step) values.push(i);
  return values;
}
