// Issue 16's four symptoms on the 'thread' backend (src/ported/issue-16-symptoms.mjs).
import { defineSuite } from '../src/suite.js';

await defineSuite('issue_16', 'thread');
