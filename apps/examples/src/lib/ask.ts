import { createInterface } from 'node:readline';
import { print } from './print.js';

const lines = (() => {
  let reader: AsyncIterator<string> | undefined;
  return () => {
    reader ??= createInterface({ input: process.stdin, terminal: false })[Symbol.asyncIterator]();
    return reader;
  };
})();

/**
 * Python's `input(prompt)`. On a terminal it asks and waits. When stdin is not a terminal (a pipe, a
 * file, /dev/null in tests and CI) it takes the next piped line, or `defaultAnswer` when stdin has
 * ended or stays silent for a second — and prints the answer it used, so the output shows it.
 */
export async function ask(prompt: string, defaultAnswer: string): Promise<string> {
  if (process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await new Promise<string>((resolve) => rl.question(prompt, resolve));
    rl.close();
    return answer;
  }
  let timer: NodeJS.Timeout | undefined;
  const silence = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), 1000);
  });
  const next = await Promise.race([lines().next(), silence]);
  clearTimeout(timer);
  if (next && !next.done) {
    print(`${prompt}${next.value}`);
    return next.value;
  }
  print(`${prompt}${defaultAnswer}   (stdin is not a terminal: default answer)`);
  return defaultAnswer;
}

/** Stops reading stdin so that the program can end. */
export function stopAsking(): void {
  process.stdin.pause();
  process.stdin.destroy();
}
