/**
 * s0-04 — seeds/000_35bfbc5fd545abd3.txt, "subprocess -- 启动一个子进程，控制其输入和输出。
 * 子进程需要输入则使用communicate()方法" (text only in the note; Liao Xuefeng's example feeds
 * `nslookup` with `set q=mx\npython.org\nexit\n` through `p.communicate(input)`).
 *
 * Node's `child_process` is the `subprocess` module: `spawn` with piped stdio, write the input and
 * end stdin, collect stdout and the exit code — that is `communicate()`. The child here is a small
 * Node program (so the example needs nothing installed): it answers each line it reads.
 * Differs from Python: `communicate()` blocks; in Node the same steps are awaited.
 */
import { spawn } from 'node:child_process';

/** The child program: reads all of stdin, answers each command line, then exits with code 0. */
const childProgram = `
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  for (const line of input.split('\\n').filter(Boolean)) {
    if (line === 'exit') break;
    console.log('> ' + line);
    console.log('  ' + line.length + ' characters, upper case: ' + line.toUpperCase());
  }
  console.log('child ' + process.pid + ' read ' + input.length + ' bytes on stdin');
});
`;

/** Python's `Popen(args, stdin=PIPE, stdout=PIPE).communicate(input)`: resolves [stdout, stderr, exit code]. */
function communicate(
  command: string,
  args: string[],
  input: string,
): Promise<[string, string, number | null]> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve([stdout, stderr, code]));
    child.stdin.end(input);
  });
}

console.log(`$ node child-program (parent ${process.pid})`);
const [output, errors, code] = await communicate(
  process.execPath,
  ['-e', childProgram],
  'set q=mx\npython.org\nexit\n',
);
console.log(output.trimEnd());
if (errors) console.log(`stderr: ${errors.trimEnd()}`);
console.log('Exit code:', code);
