// CPython's Lib/test/test_queue.py on the 'async' backend (src/ported/test-queue.mjs).
import { defineSuite } from '../src/suite.js';

await defineSuite('test_queue', 'async');
