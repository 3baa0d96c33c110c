/**
 * s4-32 — seeds/004_10c85533a5432f39.txt, `from multiprocessing.dummy import Pool as ThreadPool`;
 * `ThreadPool(4).map(requests.get, urls)` over five sites; `close()`, `join()`; print each `i.url`.
 * `multiprocessing.dummy` is a pool of threads: weft's Pool runs threads by default. `requests.get`
 * becomes an exported `get` built on `fetch` that returns what crosses back (url, status, size).
 * The sites are served by the example's own HTTP server on 127.0.0.1.
 */
import { isMainThread, Pool } from '@weft/pool';
import { startLocalHttpServer } from './lib/local-http-server.js';
import { print } from './lib/print.js';

export async function get(url: string): Promise<{ url: string; status: number; bytes: number }> {
  const response = await fetch(url);
  const body = await response.arrayBuffer();
  return { url: response.url, status: response.status, bytes: body.byteLength };
}

if (isMainThread) {
  const server = await startLocalHttpServer([
    'www.baidu.com',
    'www.sina.com.cn',
    'www.163.com',
    'www.qq.com',
    'www.taobao.com',
  ]);
  try {
    const pool = new Pool(4); // 开启线程池
    const results = await pool.map(get, server.urls); // 获取urls的结果
    pool.close(); // 关闭线程池等待任务完成退出
    await pool.join();
    for (const i of results) print(i.url, i.status, `${i.bytes} bytes`);
  } finally {
    await server.close();
  }
}
