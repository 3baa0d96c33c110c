/**
 * s3-18 — seeds/003_a45aef1e4cf1acde.txt, related article "详解Python进程间通信之命名管道":
 * `os.mkfifo(path)`, one process opens it to write, another opens it to read; opening blocks until
 * the other side opens; the FIFO persists in the file system until it is removed.
 *
 * Node has no `mkfifo()` call, but a FIFO, once made, is a file to `fs`: this example makes it with the
 * system's `mkfifo` command, then a writer process (this file, started again) and this reader use it.
 * FIFOs are a Unix feature: on other platforms the example says why it is skipped.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { exited, spawnSelf } from './lib/spawn-self.js';

if (process.argv[2] === 'writer') {
  const path = process.argv[3]!;
  const lines = Array.from({ length: 3 }, (_, i) => `message ${i} from writer ${process.pid}`);
  writeFileSync(path, `${lines.join('\n')}\n`); // opening for write blocks until the reader has opened
} else if (process.platform !== 'linux' && process.platform !== 'darwin') {
  console.log(`skipped: named pipes made by mkfifo are a Unix feature, not available on ${process.platform}`);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'weft-fifo-'));
  const path = join(dir, 'pipe.fifo');
  try {
    execFileSync('mkfifo', [path]);
    console.log(`reader ${process.pid}: made FIFO ${path.replace(dir, '<tmp>')}`);
    const writer = spawnSelf(import.meta.url, ['writer', path]);
    for await (const line of createInterface({ input: createReadStream(path, 'utf8') })) {
      console.log(`reader ${process.pid} got: ${line}`);
    }
    console.log('writer closed its end, exit code', await exited(writer));
  } finally {
    rmSync(dir, { recursive: true, force: true }); // a FIFO stays in the file system until removed
  }
}
