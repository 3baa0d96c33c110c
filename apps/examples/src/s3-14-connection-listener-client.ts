/**
 * s3-14 — seeds/003_a45aef1e4cf1acde.txt, related article "python 多进程通信模块的简单实现":
 * `multiprocessing.connection`'s `Listener` and `Client` with an authkey; the article measured about
 * 4k requests per second.
 * The server (this process) accepts one client — this file started again as a second OS process —
 * which sends requests and waits for each answer; the server prints the requests per second. A client
 * with a wrong authkey is refused first.
 */
import { Client, Listener } from '@weft/manager';
import { print } from './lib/print.js';
import { exited, spawnSelf } from './lib/spawn-self.js';

const authkey = 'peekaboo';
const requests = 1000;

async function client(port: number): Promise<void> {
  try {
    await Client(['127.0.0.1', port], { authkey: 'wrong' });
    print('client: a wrong authkey was accepted (it should not be)');
  } catch (error) {
    print(`client: wrong authkey refused (${(error as Error).name}: ${(error as Error).message})`);
  }
  const conn = await Client(['127.0.0.1', port], { authkey });
  for (let i = 0; i < requests; i++) {
    conn.send(['request', i]);
    await conn.recv();
  }
  conn.send('close');
  conn.close();
}

async function server(): Promise<void> {
  const listener = await Listener.listen(['127.0.0.1', 0], { authkey }); // port 0: any free port
  const port = (listener.address as [string, number])[1];
  const child = spawnSelf(import.meta.url, ['client', String(port)]);
  let conn = null;
  while (conn === null) {
    try {
      conn = await listener.accept();
    } catch (error) {
      print(`server: refused a client (${(error as Error).name})`); // the wrong authkey
    }
  }
  print('server: connection accepted');
  const start = performance.now();
  let count = 0;
  for (;;) {
    const message = await conn.recv();
    if (message === 'close') break;
    count++;
    conn.send(['answer', (message as [string, number])[1]]);
  }
  const seconds = (performance.now() - start) / 1000;
  print(`server: ${count} requests answered, ${Math.round(count / seconds)} requests per second`);
  conn.close();
  listener.close();
  print('client exit code:', await exited(child));
}

if (process.argv[2] === 'client') await client(Number(process.argv[3]));
else await server();
