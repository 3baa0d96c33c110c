// `npm ci` must accept the committed lockfile on a fresh clone, on every platform: npm refuses a
// lockfile that lacks a package's optional platform binaries (Biome's, esbuild's, Rollup's for other
// systems), even where this machine needs none of them. `npm ci --dry-run` checks exactly that and
// installs nothing.
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const run = spawnSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'], {
  cwd: root,
  encoding: 'utf8',
  timeout: 120_000,
});
if (run.status !== 0) {
  process.stderr.write(run.stdout + run.stderr);
  process.stderr.write(
    '\ncheck-lockfile: `npm ci` refuses package-lock.json. Regenerate it with `npm install` and commit it.\n',
  );
  process.exit(1);
}
console.log('check-lockfile: npm ci accepts package-lock.json');
