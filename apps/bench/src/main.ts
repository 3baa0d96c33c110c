/**
 * `npm run bench [-- <filter> ...]`: runs every suite in `src/suites/` (or those whose file name, suite
 * name or row name contains one of the filters), weft and its anchors alternately, and prints one table.
 * A row that throws prints its error and the run goes on; the exit code is 0 either way.
 */
import { readdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchRoot, type Goal, type Measure, median, type Row, type Suite } from './harness.js';

const MEASURE_TIMEOUT_MS = 120_000;

interface Figure {
  value?: number;
  error?: string;
}

interface RowResult {
  suite: string;
  row: Row;
  weft: Figure;
  anchors: Array<{ name: string; figure: Figure }>;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

async function measureOnce(measure: Measure): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no figure after ${MEASURE_TIMEOUT_MS / 1000} s`)),
      MEASURE_TIMEOUT_MS,
    );
  });
  try {
    const value = await Promise.race([Promise.resolve().then(measure), timeout]);
    if (typeof value !== 'number' || Number.isNaN(value))
      throw new Error(`returned ${String(value)}, not a number`);
    return value;
  } finally {
    clearTimeout(timer);
  }
}

/** Runs weft and the anchors alternately, rotating who goes first, and keeps the median of each. */
async function runRow(suite: string, row: Row): Promise<RowResult> {
  const contenders: Array<{ name: string; measure: Measure }> = [
    { name: 'weft', measure: row.weft },
    ...Object.entries(row.anchors ?? {}).map(([name, measure]) => ({ name, measure })),
  ];
  const samples = new Map<string, number[]>(contenders.map(({ name }) => [name, []]));
  const errors = new Map<string, string>();
  const rounds = row.rounds ?? 3;
  for (let round = 0; round < rounds; round++) {
    for (let turn = 0; turn < contenders.length; turn++) {
      const { name, measure } = contenders[(turn + round) % contenders.length]!;
      if (errors.has(name)) continue;
      process.stderr.write(`  ${suite} › ${row.name} › ${name} (round ${round + 1}/${rounds})\n`);
      try {
        samples.get(name)!.push(await measureOnce(measure));
      } catch (error) {
        errors.set(name, describeError(error));
        process.stderr.write(`    failed: ${describeError(error)}\n`);
      }
    }
  }
  const figure = (name: string): Figure => {
    const error = errors.get(name);
    return error === undefined ? { value: median(samples.get(name)!) } : { error };
  };
  return {
    suite,
    row,
    weft: figure('weft'),
    anchors: contenders.slice(1).map(({ name }) => ({ name, figure: figure(name) })),
  };
}

/** weft's figure over the anchor's, turned so that > 1 means weft is better. */
function ratioOf(row: Row, weft: number, anchor: number): number {
  return row.better === 'higher' ? weft / anchor : anchor / weft;
}

function goalsOf(row: Row): Goal[] {
  if (row.goal === undefined) return [];
  return Array.isArray(row.goal) ? row.goal : [row.goal];
}

function describeGoal(goal: Goal, unit: string): string {
  if ('anchor' in goal) return `≥ ${goal.ratio}× ${goal.anchor}`;
  const parts: string[] = [];
  if (goal.min !== undefined) parts.push(`≥ ${goal.min} ${unit}`);
  if (goal.max !== undefined) parts.push(`< ${goal.max} ${unit}`);
  return parts.join(' and ');
}

function goalMet(goal: Goal, result: RowResult): boolean | undefined {
  const weft = result.weft.value;
  if (weft === undefined) return undefined;
  if ('anchor' in goal) {
    const anchor = result.anchors.find(({ name }) => name === goal.anchor)?.figure.value;
    if (anchor === undefined) return undefined;
    return ratioOf(result.row, weft, anchor) >= goal.ratio;
  }
  if (goal.min !== undefined && !(weft >= goal.min)) return false;
  if (goal.max !== undefined && !(weft < goal.max)) return false;
  return true;
}

function formatNumber(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude === 0) return '0';
  if (magnitude >= 1e6) return value.toExponential(2);
  if (magnitude >= 100) return Math.round(value).toLocaleString('en-US');
  if (magnitude >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

function formatFigure(figure: Figure): string {
  return figure.value === undefined ? 'error' : formatNumber(figure.value);
}

function printTable(results: RowResult[]): void {
  const header = ['suite', 'row', 'unit', 'weft', 'anchor', 'anchor figure', 'ratio', 'goal', 'met'];
  const lines: string[][] = [];
  const notes: string[] = [];
  for (const result of results) {
    const { row } = result;
    const goals = goalsOf(row);
    const goalText = goals.map((goal) => describeGoal(goal, row.unit)).join('; ');
    const verdicts = goals.map((goal) => goalMet(goal, result));
    const met =
      verdicts.length === 0
        ? ''
        : verdicts.every((v) => v === true)
          ? '✓'
          : verdicts.some((v) => v === false)
            ? '✗'
            : '?';
    const anchorLines = result.anchors.length > 0 ? result.anchors : [undefined];
    anchorLines.forEach((anchor, i) => {
      const ratio =
        anchor?.figure.value !== undefined && result.weft.value !== undefined
          ? `${formatNumber(ratioOf(row, result.weft.value, anchor.figure.value))}×`
          : '';
      lines.push([
        i === 0 ? result.suite : '',
        i === 0 ? row.name : '',
        i === 0 ? row.unit : '',
        i === 0 ? formatFigure(result.weft) : '',
        anchor?.name ?? '',
        anchor ? formatFigure(anchor.figure) : '',
        ratio,
        i === 0 ? goalText : '',
        i === 0 ? met : '',
      ]);
    });
    if (result.weft.error) notes.push(`${result.suite} › ${row.name} › weft: ${result.weft.error}`);
    for (const { name, figure } of result.anchors) {
      if (figure.error) notes.push(`${result.suite} › ${row.name} › ${name}: ${figure.error}`);
    }
  }
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]!.length)),
  );
  const numeric = new Set([3, 5, 6]);
  const format = (cells: string[]) =>
    cells
      .map((cell, column) =>
        numeric.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ');
  console.log(format(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const line of lines) console.log(format(line).trimEnd());
  console.log(
    '\nratio = weft ÷ anchor, turned so that > 1 means weft is better; figures are medians of the rounds.',
  );
  if (notes.length > 0) {
    console.log('\nerrors:');
    for (const note of notes) console.log(`  ${note}`);
  }
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2).map((filter) => filter.toLowerCase());
  const suitesDir = join(benchRoot, 'src', 'suites');
  const files = readdirSync(suitesDir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .sort();
  const results: RowResult[] = [];
  const loadErrors: string[] = [];
  let suitesRun = 0;
  for (const file of files) {
    let suite: Suite;
    try {
      const module = (await import(pathToFileURL(join(suitesDir, file)).href)) as { default?: Suite };
      if (!module.default || !Array.isArray(module.default.rows))
        throw new Error('has no default export of a Suite');
      suite = module.default;
    } catch (error) {
      loadErrors.push(`${file}: ${describeError(error)}`);
      continue;
    }
    const matches = (text: string) => filters.some((filter) => text.toLowerCase().includes(filter));
    const wholeSuite = filters.length === 0 || matches(basename(file, '.ts')) || matches(suite.name);
    const rows = wholeSuite ? suite.rows : suite.rows.filter((row) => matches(row.name));
    if (rows.length === 0) continue;
    suitesRun++;
    process.stderr.write(`${suite.name}\n`);
    try {
      await suite.setup?.();
      for (const row of rows) {
        try {
          results.push(await runRow(suite.name, row));
        } catch (error) {
          results.push({ suite: suite.name, row, weft: { error: describeError(error) }, anchors: [] });
        }
      }
    } catch (error) {
      loadErrors.push(`${suite.name} setup: ${describeError(error)}`);
    } finally {
      try {
        await suite.teardown?.();
      } catch (error) {
        loadErrors.push(`${suite.name} teardown: ${describeError(error)}`);
      }
    }
  }
  if (suitesRun === 0 && loadErrors.length === 0) {
    console.log(
      files.length === 0
        ? 'no bench suites yet: add one as apps/bench/src/suites/<pkg>.ts (see apps/bench/README.md)'
        : `no suite or row matches ${filters.join(', ')}`,
    );
  }
  if (results.length > 0) printTable(results);
  const [load] = loadavg();
  if (results.length > 0 && load !== undefined && load > availableParallelism()) {
    console.log(
      `\nnote: the machine was busy (load average ${load.toFixed(1)} on ${availableParallelism()} cores): figures that need two threads running at once (round trips, spinning) suffer most; rerun when it is quiet (see apps/bench/README.md).`,
    );
  }
  if (loadErrors.length > 0) {
    console.log('\nsuites that could not run:');
    for (const error of loadErrors) console.log(`  ${error}`);
  }
}

main()
  .catch((error: unknown) => {
    console.log(`bench failed: ${describeError(error)}`);
  })
  .finally(() => {
    // Workers or pools a suite forgot to close must not keep the run alive; the table is printed.
    process.exit(0);
  });
