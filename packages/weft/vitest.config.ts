import { weftTest } from '../../vitest.base';

export default weftTest;
