import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe("serveObject()'s default server", () => {
  it('does not keep a program alive that never called closeDefaultObjectServer()', async () => {
    const script = fileURLToPath(new URL('./fixtures/serve-object-exits.mjs', import.meta.url));
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    // Generous: a hang is what this test catches, and the machine may be loaded.
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode) => resolve(exitCode));
    });
    clearTimeout(killer);
    expect(code).toBe(0); // null would mean it had to be killed: it did not exit by itself
    // It served while the program ran: the worker's async and blocking calls reached the object.
    expect(JSON.parse(out)).toEqual({ answer: [1, 2], n: 2 });
  }, 90_000);
});
