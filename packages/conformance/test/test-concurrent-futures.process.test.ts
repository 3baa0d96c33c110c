// CPython's Lib/test/test_concurrent_futures/ on the 'process' backend (src/ported/test-concurrent-futures.mjs).
import { defineSuite } from '../src/suite.js';

await defineSuite('test_concurrent_futures', 'process');
