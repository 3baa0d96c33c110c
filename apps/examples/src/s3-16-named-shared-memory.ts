/**
 * s3-16 — seeds/003_a45aef1e4cf1acde.txt, related article "Python进程间通信之共享内存详解": `mmap`
 * of one ordinary file in two processes, one writing, one reading.
 * weft's SharedMemory is the same idea without the file: a named block. The parent creates it; a
 * writer worker attaches by name and writes a message (length first), then a reader worker attaches
 * by the same name and reads it back. Finally the block is closed and unlinked, like
 * `multiprocessing.shared_memory`.
 */
import { isMainThread, Process } from '@weft/pool';
import { SharedMemory } from '@weft/shared-memory';
import { print } from './lib/print.js';

export function writer(name: string, message: string): void {
  const block = SharedMemory.attach(name);
  const bytes = new TextEncoder().encode(message);
  new DataView(block.buf.buffer, block.buf.byteOffset).setUint32(0, bytes.length);
  block.buf.set(bytes, 4);
  print(`writer: wrote ${bytes.length} bytes into block ${block.name}`);
  block.close();
}

export function reader(name: string): void {
  const block = SharedMemory.attach(name);
  const length = new DataView(block.buf.buffer, block.buf.byteOffset).getUint32(0);
  const message = new TextDecoder().decode(block.buf.subarray(4, 4 + length));
  print(`reader: read from block ${block.name}: ${message}`);
  block.close();
}

if (isMainThread) {
  const block = new SharedMemory({ size: 1024, name: 'weft-s3-16-example' });
  print(`created shared block ${block.name}, ${block.size} bytes`);
  const w = new Process({
    target: writer,
    args: [block.name, 'Hello from the writer, 你好 via shared memory'],
  });
  w.start();
  await w.join();
  const r = new Process({ target: reader, args: [block.name] });
  r.start();
  await r.join();
  block.close();
  block.unlink();
}
