import { Queue, ByteRing } from '@weft/queue';
import { encode, decode, encodeWith } from '@weft/codec';
const ITEM = [42, null, 'hello'];
const N = 1_000_000;
function t(name, fn) { fn(); const s = performance.now(); fn(); console.log(name, ((performance.now() - s) * 1e6 / N).toFixed(0), 'ns'); }
t('encode', () => { for (let i = 0; i < N; i++) encode(ITEM); });
t('encodeWith', () => { for (let i = 0; i < N; i++) encodeWith(ITEM, (b) => b.length); });
const bytes = encode(ITEM);
t('decode', () => { for (let i = 0; i < N; i++) decode(bytes); });
const ring = ByteRing.create();
t('ring push+pop', () => { for (let i = 0; i < N; i++) { ring.tryPush(bytes); ring.tryPop(); } });
const q = new Queue();
t('putSync+getSync', () => { for (let i = 0; i < N; i++) { q.putSync(ITEM); q.getSync(); } });
t('putNowait+getNowait', () => { for (let i = 0; i < N; i++) { q.putNowait(ITEM); q.getNowait(); } });
t('structuredClone', () => { for (let i = 0; i < N; i++) structuredClone(ITEM); });
