// CPython's Lib/test/_test_multiprocessing.py on the 'async' backend (src/ported/test-multiprocessing.mjs).
import { defineSuite } from '../src/suite.js';

await defineSuite('_test_multiprocessing', 'async');
