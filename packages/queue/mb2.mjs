import { Queue } from '@weft/queue';
const ITEM = [42, null, 'hello'];
const N = 1_000_000;
const q = new Queue();
for (let i = 0; i < N; i++) { q.putNowait(ITEM); q.getNowait(); }
