import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { encode } from '@weft/codec';
import { Manager } from '@weft/manager';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./fixtures/codec-proxy-child.mjs', import.meta.url));

describe('the server runs on a thread of its own', () => {
  it('a child process is served while this main thread is blocked (execFileSync), proxy sent as codec bytes', async () => {
    await using manager = await Manager.start();
    const d = await manager.dict<string, number>();
    const packed = Buffer.from(encode(d)).toString('base64');
    // Blocks this thread until the child exits: only a server on another thread can answer it.
    const output = execFileSync(process.execPath, [child, packed], { encoding: 'utf8', timeout: 60_000 });
    expect(output.trim()).toBe('DictProxy');
    const entries = await d.toObject();
    expect(Object.keys(entries)).toEqual(['child']);
    expect(entries.child).toBeGreaterThan(0);
    expect(entries.child).not.toBe(process.pid);
  });
});
