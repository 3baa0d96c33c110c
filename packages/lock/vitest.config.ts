import { weftTest } from '../../vitest.base.ts';

export default weftTest;
