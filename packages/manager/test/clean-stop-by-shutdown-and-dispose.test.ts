import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ClosedError, Manager } from '@weft/manager';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./fixtures/dispose-exits.mjs', import.meta.url));

function run(how: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, how], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the process did not exit by itself; output so far: ${output}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('stopping a manager', () => {
  it('shutdown(): the server stops and later calls fail with ClosedError', async () => {
    const manager = await Manager.start();
    const d = await manager.dict();
    await d.set('k', 1);
    const q = await manager.Queue();
    const pending = q.get(); // waits in the server when shutdown comes
    const failed = expect(pending).rejects.toBeInstanceOf(ClosedError);
    await manager.shutdown();
    await failed;
    await expect(d.get('k')).rejects.toBeInstanceOf(ClosedError);
    await expect(manager.dict()).rejects.toBeInstanceOf(ClosedError);
    await manager.shutdown(); // idempotent
  });

  it('await using: the manager is shut down at the end of the block', async () => {
    let proxy: Awaited<ReturnType<Manager['dict']>>;
    {
      await using manager = await Manager.start();
      proxy = await manager.dict();
      await proxy.set('x', 1);
    }
    await expect(proxy.get('x')).rejects.toBeInstanceOf(ClosedError);
  });

  it('a program that disposes its manager exits by itself (no leaked handles)', async () => {
    const { code, output } = await run('dispose');
    expect(output).toBe('value 1\nleft the block\n');
    expect(code).toBe(0);
  });

  it('a program that calls shutdown() on a TCP manager exits by itself', async () => {
    const { code, output } = await run('shutdown');
    expect(output).toBe('value 1\nleft the block\n');
    expect(code).toBe(0);
  });
});
