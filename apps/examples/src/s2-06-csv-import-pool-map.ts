/**
 * s2-06 — seeds/002_c95671d694233dbc.txt, the CSV-import story: splitting the file list evenly by
 * hand among processes ran fast at first, then slower and slower, leaving files behind; `Pool.map`
 * fixed it. The example makes 16 CSV files of very different sizes, then imports them twice with 4
 * workers: (1) split by hand into 4 lists of 4 files, (2) `Pool(4).map(importCsv, files)`, where an idle
 * worker takes the next file. The "database insert" is a sleep per 100 rows. Both import every row;
 * the rows per worker and the times show how even each load was.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { isMainThread, Pool, Process } from '@weft/pool';
import { Queue } from '@weft/queue';
import { print } from './lib/print.js';
import { secondsSince, sleepSync } from './lib/time.js';

export interface Imported {
  file: string;
  rows: number;
  worker: number;
}

/** Reads one CSV file and "inserts" its rows (a sleep of 10 ms per 100 rows stands in for the database). */
export function importCsv(file: string): Imported {
  const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
  sleepSync((lines.length / 100) * 10);
  return { file, rows: lines.length, worker: threadId };
}

/** The hand-made split: each worker gets its fixed list of files. */
export async function importList(files: string[], results: Queue<Imported>): Promise<void> {
  for (const file of files) await results.put(importCsv(file));
}

function loadPerWorker(results: Imported[]): string {
  const rows = new Map<number, number>();
  for (const result of results) rows.set(result.worker, (rows.get(result.worker) ?? 0) + result.rows);
  return [...rows.values()].sort((a, b) => b - a).join(', ');
}

if (isMainThread) {
  const dir = mkdtempSync(join(tmpdir(), 'weft-csv-'));
  try {
    // Sizes sorted by name, the way a directory listing often is: the big files all end up together.
    const sizes = [50, 60, 70, 80, 100, 120, 150, 200, 400, 600, 800, 1000, 1500, 2000, 2500, 3000];
    const files = sizes.map((rows, i) => {
      const file = join(dir, `data-${String(i).padStart(2, '0')}.csv`);
      const lines = Array.from({ length: rows }, (_, row) => `${row},name-${row},${row * 7}`);
      writeFileSync(file, `id,name,value\n${lines.join('\n')}\n`);
      return file;
    });
    const totalRows = sizes.reduce((a, b) => a + b, 0);
    print(`made ${files.length} CSV files, ${totalRows} rows in all`);

    let start = performance.now();
    const results = new Queue<Imported>();
    const workers = [0, 1, 2, 3].map(
      (k) => new Process({ target: importList, args: [files.slice(k * 4, k * 4 + 4), results] }),
    );
    for (const worker of workers) worker.start();
    const byHand: Imported[] = [];
    for (let i = 0; i < files.length; i++) byHand.push(await results.get());
    for (const worker of workers) await worker.join();
    print(
      `split by hand: ${byHand.reduce((n, r) => n + r.rows, 0)} rows imported in ${secondsSince(start)} s; rows per worker: ${loadPerWorker(byHand)}`,
    );

    start = performance.now();
    const pool = new Pool(4);
    const mapped = await pool.map(importCsv, files, 1);
    pool.close();
    await pool.join();
    print(
      `Pool.map:      ${mapped.reduce((n, r) => n + r.rows, 0)} rows imported in ${secondsSince(start)} s; rows per worker: ${loadPerWorker(mapped)}`,
    );
    print(`every file imported once: ${new Set(mapped.map((r) => r.file)).size === files.length}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
