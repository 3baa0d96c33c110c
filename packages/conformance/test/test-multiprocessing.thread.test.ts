// CPython's Lib/test/_test_multiprocessing.py on the 'thread' backend (src/ported/test-multiprocessing.mjs).
import { defineSuite } from '../src/suite.js';

await defineSuite('_test_multiprocessing', 'thread');
