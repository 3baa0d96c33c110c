// Every publishable package must install and work on its own from its packed tarball, in ESM and CJS.
// Packs each package, installs the tarballs into a scratch project (internal @weft dependencies resolve
// to their tarballs, so nothing unpublished is fetched), then imports each one both ways.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const packagesDir = join(root, 'packages');
const scratch = mkdtempSync(join(tmpdir(), 'weft-pack-'));
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

try {
  const packages = readdirSync(packagesDir)
    .map((dir) => ({
      dir: join(packagesDir, dir),
      manifest: JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')),
    }))
    .filter(({ manifest }) => !manifest.private);
  const tarballs = {};
  for (const { dir, manifest } of packages) {
    const [info] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', scratch], dir));
    tarballs[manifest.name] = join(scratch, info.filename);
  }
  const deps = Object.fromEntries(Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`]));
  writeFileSync(
    join(scratch, 'package.json'),
    JSON.stringify({ name: 'weft-pack-check', private: true, dependencies: deps, overrides: deps }, null, 2),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], scratch);
  let failures = 0;
  for (const name of Object.keys(tarballs)) {
    for (const [kind, code] of [
      [
        'esm',
        `const m = await import(${JSON.stringify(name)}); if (Object.keys(m).length === 0) throw new Error('no exports');`,
      ],
      [
        'cjs',
        `const m = require(${JSON.stringify(name)}); if (Object.keys(m).length === 0) throw new Error('no exports');`,
      ],
    ]) {
      try {
        run('node', kind === 'esm' ? ['--input-type=module', '-e', code] : ['-e', code], scratch);
        console.log(`ok    ${name} (${kind})`);
      } catch (error) {
        failures++;
        console.log(
          `FAIL  ${name} (${kind}): ${String(error.stderr || error.message)
            .split('\n')
            .slice(0, 5)
            .join('\n')}`,
        );
      }
    }
  }
  const total = Object.keys(tarballs).length * 2;
  console.log(`packs: ${total - failures} passed, ${failures} failed`);
  process.exitCode = failures ? 1 : 0;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
