/**
 * `npm run examples`            runs every example in catalog order, a heading before each;
 * `npm run example -- s1-12`    runs one (or several: `-- s1-12 s4-30`).
 * Each example runs in a process of its own, exactly as `tsx src/<file>.ts` would run it alone.
 * Exits non-zero if any example fails (non-zero exit, or still running after 5 minutes).
 */
import { type CatalogEntry, catalog, fileOf, seeds } from './catalog.js';
import { runExample, runScript } from './lib/run-example.js';

/** Examples beyond the notes' catalog, run after it by `npm run examples` (or by name). */
const beyond = [
  {
    id: 'redis-task-master',
    shows:
      "the notes' task_master/task_worker pair on Redis: RedisQueue for both queues, the authkey as password",
    file: 'beyond/redis-task-master',
  },
];

const requested = process.argv.slice(2).filter((arg) => arg !== '--');
const unknown = requested.filter(
  (id) => !catalog.some((entry) => entry.id === id) && !beyond.some((extra) => extra.id === id),
);
if (unknown.length > 0) {
  console.error(`unknown example ID: ${unknown.join(', ')} (IDs run from s0-01 to s4-36, see README.md)`);
  process.exit(2);
}
const selected: CatalogEntry[] =
  requested.length === 0 ? catalog : catalog.filter((entry) => requested.includes(entry.id));

const failed: string[] = [];
let seed = '';
for (const entry of selected) {
  const entrySeed = entry.id.slice(0, 2);
  if (selected.length > 1 && entrySeed !== seed) {
    seed = entrySeed;
    console.log(`\n######## ${seeds[seed]}`);
  }
  const dup = entry.dupOf ? ` (dup of ${entry.dupOf})` : '';
  console.log(`\n=== ${entry.id}  ${entry.shows}${dup}\n--- src/${fileOf(entry)}`);
  const code = await runExample(entry.id, { timeoutMs: 5 * 60_000 });
  if (code !== 0) {
    failed.push(entry.id);
    console.log(`--- ${entry.id} FAILED (exit code ${code})`);
  }
}

const extras = requested.length === 0 ? beyond : beyond.filter((extra) => requested.includes(extra.id));
if (extras.length > 0 && selected.length + extras.length > 1) console.log('\n######## beyond the notes');
for (const extra of extras) {
  console.log(`\n=== ${extra.id}  ${extra.shows}\n--- src/${extra.file}.ts`);
  const code = await runScript(
    new URL(`./${extra.file}${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
    5 * 60_000,
  );
  if (code !== 0) {
    failed.push(extra.id);
    console.log(`--- ${extra.id} FAILED (exit code ${code})`);
  }
}

if (selected.length + extras.length > 1) {
  console.log(
    `\n${selected.length + extras.length} examples: ${selected.length + extras.length - failed.length} passed, ${failed.length} failed` +
      (failed.length ? ` (${failed.join(', ')})` : ''),
  );
}
process.exitCode = failed.length ? 1 : 0;
