/**
 * s3-21 — seeds/003_a45aef1e4cf1acde.txt, related article "python实现进程间通信简单实例":
 * `socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)`, a server `s.py` bound to a socket path and
 * a client `c.py` that connects and sends; the server answers.
 *
 * In Node a Unix-domain socket is `net` with a path instead of a port. The server runs here; the
 * client is this file started again as a second OS process. The server echoes each message back.
 * Differs: the article's server loops forever; this one closes after its one client is done.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { exited, spawnSelf } from './lib/spawn-self.js';

async function client(path: string): Promise<void> {
  const socket = createConnection(path);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const replies = createInterface({ input: socket });
  const iterator = replies[Symbol.asyncIterator]();
  for (const message of ['hello', 'from client', String(process.pid)]) {
    socket.write(`${message}\n`);
    const reply = await iterator.next();
    console.log(`client ${process.pid} sent ${JSON.stringify(message)}, got ${JSON.stringify(reply.value)}`);
  }
  socket.end();
}

async function server(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'weft-unix-'));
  const path = join(dir, 'echo.sock');
  const echo = createServer((connection) => {
    console.log(`server ${process.pid}: a client connected`);
    createInterface({ input: connection }).on('line', (line) => {
      console.log(`server received ${JSON.stringify(line)}`);
      connection.write(`echo: ${line}\n`);
    });
  });
  await new Promise<void>((resolve) => echo.listen(path, resolve));
  console.log(`server ${process.pid} listening on ${path.replace(dir, '<tmp>')} (AF_UNIX)`);
  try {
    const code = await exited(spawnSelf(import.meta.url, ['client', path]));
    console.log('client exited with code', code);
  } finally {
    await new Promise((resolve) => echo.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'client') await client(process.argv[3]!);
else await server();
