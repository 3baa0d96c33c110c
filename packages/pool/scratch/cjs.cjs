const { Pool, Process, isMainThread } = require('@weft/pool');
const { triple } = require('./cjs-tasks.cjs');
(async () => {
  const pool = new Pool(2);
  console.log(await pool.map(triple, [1, 2, 3]));
  console.log(await pool.apply((x) => x - 1, [10]));
  await pool.terminate();
  const p = new Process({ target: triple, args: [2], context: 'process' });
  p.start(); await p.join(); console.log('exit', p.exitCode);
})();
