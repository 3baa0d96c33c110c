/**
 * Workaround: hide this package's stack frames from @weft/pool while it looks for the caller.
 *
 * The pool finds a task function's module from the call site: the first stack frame outside
 * @weft/pool. Called through an executor, that frame is this package's own file, not the user's
 * module, so an exported function would not be found (and would be shipped as source text, where its
 * imports do not exist). Until the pool lets a facade name the caller (requested: a `callerUrl`
 * submit option, or skipping registered facade packages), the executor removes its own frames from
 * stack traces formatted during the call, through V8's `Error.prepareStackTrace` hook, and puts the
 * previous hook back at once.
 */

const ownDirectory = new URL('.', import.meta.url).href;
const ownPath = ownDirectory.startsWith('file://')
  ? decodeURIComponent(new URL(ownDirectory).pathname)
  : ownDirectory;

type PrepareStackTrace = (error: Error, stack: NodeJS.CallSite[]) => unknown;

function isOwnFrame(site: NodeJS.CallSite): boolean {
  const file = site.getFileName() ?? '';
  return file.startsWith(ownDirectory) || file.startsWith(ownPath);
}

function formatDefault(error: Error, stack: NodeJS.CallSite[]): string {
  const head = `${error.name}${error.message ? `: ${error.message}` : ''}`;
  return head + stack.map((site) => `\n    at ${site.toString()}`).join('');
}

/** Runs `fn` with this package's frames left out of any stack trace formatted meanwhile. */
export function withOwnFramesHidden<T>(fn: () => T): T {
  const holder = Error as unknown as { prepareStackTrace?: PrepareStackTrace | undefined };
  const previous = holder.prepareStackTrace;
  holder.prepareStackTrace = (error, stack) => {
    const kept = stack.filter((site) => !isOwnFrame(site));
    return previous ? previous(error, kept) : formatDefault(error, kept);
  };
  try {
    return fn();
  } finally {
    holder.prepareStackTrace = previous;
  }
}
