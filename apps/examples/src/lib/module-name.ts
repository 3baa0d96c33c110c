import { fileURLToPath } from 'node:url';
import { isMainThread } from '@weft/pool';

/**
 * Python's `__name__` of the module at `moduleUrl`: `__main__` when it is the program being run, and
 * `__mp_main__` — Python's name for the same file re-imported by a child — when a weft worker imported it
 * to find a target function.
 */
export function moduleName(moduleUrl: string): string {
  const isEntry = process.argv[1] !== undefined && fileURLToPath(moduleUrl) === process.argv[1];
  return isMainThread && isEntry ? '__main__' : '__mp_main__';
}
