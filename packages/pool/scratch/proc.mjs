import { Process, activeChildren } from '@weft/pool';
import { greet, exitWith, throws, sleepy, printMany, Counter } from '../test/fixtures/processes.mjs';
for (const context of ['thread', 'process']) {
  const p = new Process({ target: greet, args: ['bob'], context });
  p.start(); await p.join(); console.log(context, 'exit', p.exitCode, p.pid, p.ident);
  const q = new Process({ target: exitWith, args: [3], context }); q.start(); await q.join(); console.log('exitWith', q.exitCode);
  const r = new Process({ target: throws, context }); r.start(); await r.join(); console.log('throws', r.exitCode);
  const s = new Process({ target: sleepy, args: [10000], context }); s.start(); console.log(s.isAlive(), activeChildren().length); await s.join(100); s.terminate(); await s.join(); console.log('terminated', s.exitCode);
  const c = new Counter(5); c.start(); await c.join(); console.log('counter exit', c.exitCode);
  const i = new Process({ target: (x) => console.log('inline', x), args: [1], context }); i.start(); await i.join(); console.log('inline exit', i.exitCode);
}
const m = new Process({ target: printMany, args: [2000] }); m.start(); await m.join(); process.exit(0);
