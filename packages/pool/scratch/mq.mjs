import { Process } from '@weft/pool';
import { Queue } from '@weft/queue';

import { writeQueue } from '../test/fixtures/processes.mjs';
const q = new Queue();
const p = new Process({ target: writeQueue, args: [q, ['A', 'B', 'C']], context: 'process' });
p.start();
await p.join();
console.log('exit', p.exitCode);
console.log(await q.get({ timeout: 5000 }), await q.get({ timeout: 5000 }), await q.get({ timeout: 5000 }));
console.log("end");
