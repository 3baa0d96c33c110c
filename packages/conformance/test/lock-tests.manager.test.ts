// CPython's Lib/test/lock_tests.py on the 'manager' backend (src/ported/lock-tests.mjs).
import { defineSuite } from '../src/suite.js';

await defineSuite('lock_tests', 'manager');
