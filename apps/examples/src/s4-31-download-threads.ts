/**
 * s4-31 — seeds/004_10c85533a5432f39.txt, `DownloadThread(threading.Thread)`: 5 daemon threads loop on
 * `url = q.get()`, download the page to `<basename>.html`, `q.task_done()`; the main thread puts the
 * URLs and `q.join()`s.
 * No internet: the example starts its own HTTP server on 127.0.0.1 serving the note's three sites, and
 * the files go to a temporary directory. `requests` + `fake_useragent` become `fetch` with a
 * User-Agent header. `queue.Queue` with `task_done`/`join` is weft's JoinableQueue. The downloaders
 * are daemons that loop forever; Python drops them at exit, here they are terminated after `join()`.
 * As in Python, `join()` returns at the last `taskDone()`, just before that thread prints "download
 * completed": that last line may come after the listing, or be cut off when the daemons stop.
 */
import { createWriteStream, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { currentProcess, isMainThread, Process } from '@weft/pool';
import { JoinableQueue } from '@weft/queue';
import { startLocalHttpServer } from './lib/local-http-server.js';
import { print } from './lib/print.js';

async function downloadFile(url: string, dir: string): Promise<void> {
  const r = await fetch(url, { headers: { 'User-Agent': 'weft-example/1.0' } });
  const fname = join(dir, `${basename(url)}.html`);
  await pipeline(Readable.fromWeb(r.body as WebReadableStream<Uint8Array>), createWriteStream(fname));
}

export async function downloadThread(q: JoinableQueue<string>, dir: string): Promise<void> {
  const name = currentProcess().name;
  for (;;) {
    const url = await q.get(); // 从队列取出一个元素
    print(`${name} begin download ${url}`);
    await downloadFile(url, dir); // 下载文件
    q.taskDone(); // 下载完成发送信号
    print(`${name} download completed`);
  }
}

if (isMainThread) {
  const server = await startLocalHttpServer(['www.baidu.com', 'www.python.org', 'www.douban.com']);
  const dir = mkdtempSync(join(tmpdir(), 'weft-download-'));
  try {
    const q = new JoinableQueue<string>();
    const threads: Process[] = [];
    for (let i = 0; i < 5; i++) {
      const t = new Process({
        target: downloadThread,
        args: [q, dir],
        name: `Thread-${i + 1}`,
        daemon: true,
      }); // 启动5个线程
      t.start();
      threads.push(t);
    }
    for (const url of server.urls) await q.put(url);
    await q.join();
    print('q.join() returned: every URL downloaded');
    for (const file of readdirSync(dir).sort()) print(`  ${file}: ${statSync(join(dir, file)).size} bytes`);
    for (const t of threads) t.terminate();
    for (const t of threads) await t.join();
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
