/**
 * s3-19 — seeds/003_a45aef1e4cf1acde.txt, related article "Python使用文件锁实现进程间同步功能【基于
 * fcntl模块】": `fcntl.flock(f, fcntl.LOCK_EX)` around writes to a file, so that scripts started
 * separately in a shell never write at the same time.
 *
 * What Node offers: no `flock`/`fcntl` locks. The portable way between unrelated processes is a lock
 * file created with `open(path, 'wx')` (O_CREAT | O_EXCL: creating it is atomic, so one process wins)
 * and removed to unlock. (Between weft workers, a `Lock` does this in shared memory; between processes
 * started by a weft parent, a Manager's `Lock()` proxy.) Stale lock files of crashed processes are the
 * catch; this example writes the holder's pid into the lock file so one could check it.
 * Two OS processes (this file started twice) each write a block of 3 lines, a sleep between lines;
 * the file shows whole blocks, never interleaved.
 */
import {
  appendFileSync,
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exited, spawnSelf } from './lib/spawn-self.js';
import { sleep } from './lib/time.js';

/** Like `fcntl.flock(f, LOCK_EX)`: waits until this process holds the lock file. */
async function lockFile(lockPath: string): Promise<void> {
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

/** Like `fcntl.flock(f, LOCK_UN)`. */
function unlockFile(lockPath: string): void {
  unlinkSync(lockPath);
}

async function writer(name: string, dataPath: string): Promise<void> {
  const lockPath = `${dataPath}.lock`;
  await lockFile(lockPath);
  try {
    console.log(`${name} (pid ${process.pid}) holds the lock`);
    for (let line = 1; line <= 3; line++) {
      appendFileSync(dataPath, `${name} line ${line}\n`);
      await sleep(300);
    }
  } finally {
    unlockFile(lockPath);
  }
}

if (process.argv[2] === 'writer') {
  await writer(process.argv[3]!, process.argv[4]!);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'weft-flock-'));
  const dataPath = join(dir, 'data.txt');
  try {
    const writers = ['process-A', 'process-B'].map((name) =>
      spawnSelf(import.meta.url, ['writer', name, dataPath]),
    );
    const codes = await Promise.all(writers.map(exited));
    console.log('writers exited with', codes);
    console.log('data.txt:');
    process.stdout.write(readFileSync(dataPath, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
