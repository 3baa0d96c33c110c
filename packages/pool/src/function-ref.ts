/**
 * Functions cross by name, like pickle.
 *
 * Python sends `target=f` as "module + qualified name" and the child imports the module. weft does the
 * same: a function exported from an ES (or CommonJS) module is found in the worker by module URL and
 * export name. The module is taken from the call site (the first stack frame outside this package) or
 * given explicitly with `task(fn, import.meta.url)`. The parent finds the export name by importing the
 * caller's module (already loaded, so `import()` returns the same namespace) and the modules it imports,
 * and looking for the function itself among their exports.
 *
 * A function found in no module may still travel as source text if it is self-contained (no free
 * variables): `x => x + 1` written inline. A free variable cannot be seen before the function runs; in
 * the worker a ReferenceError from such a function is reported with its name and the fix.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FunctionNotShippableError } from './errors.js';
import { FIX } from './function-load.js';

/** How a function is found again in a worker. */
export type FunctionRef =
  | { kind: 'module'; url: string; name: string; display: string; source?: string }
  | { kind: 'source'; source: string; display: string };

/** Any function a worker can call; `never[]` parameters accept every function type. */
export type TaskFunction = (...args: never[]) => unknown;

const explicit = new WeakMap<object, { url: string; name: string | undefined }>();
const resolved = new WeakMap<object, FunctionRef>();

/**
 * Names the module that exports `fn` (pass `import.meta.url`, or a file path), for functions the pool
 * cannot find from the call site — for instance when `fn` is re-exported through several modules.
 * @param exportName the export's name when it differs from `fn.name` (for example `default`).
 * @returns `fn` itself, so `pool.map(task(square, import.meta.url), xs)` keeps its types.
 */
export function task<F extends TaskFunction>(fn: F, moduleUrl: string, exportName?: string): F {
  if (typeof fn !== 'function')
    throw new TypeError(`task(fn, moduleUrl): fn must be a function, got ${typeof fn}`);
  explicit.set(fn, { url: toUrl(moduleUrl), name: exportName });
  resolved.delete(fn);
  return fn;
}

function toUrl(location: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(location) && !/^[a-z]:[\\/]/i.test(location)) return location;
  return pathToFileURL(location).href;
}

// Frames of this package: its built files, and its sources when a source map rewrites the stack.
const ownRoot = new URL('..', import.meta.url).href;
const ownDirectories = [`${ownRoot}dist/`, `${ownRoot}src/`, new URL('.', import.meta.url).href];

/** The module that called into this package, as seen from the stack at the call. */
export interface CallerModule {
  url: string;
  /**
   * The call came from the module's top-level code (its outermost frame on the stack, sync or async,
   * has no function name): the module is probably still evaluating, so `import()` of it would wait
   * for the end of its evaluation, which may be waiting for this very call (top-level await).
   */
  evaluating: boolean;
}

const FRAME_LOCATION = /\(?((?:file:\/\/|\/|[A-Za-z]:\\)[^()]*?):\d+:\d+\)?\s*$/;
const NAMELESS_FRAME = /^at (?:async )?(?:file:\/\/|\/|[A-Za-z]:\\)/;
/** A frame in a module file (not Node's internals, not eval'd code). */
const MODULE_FILE = /^(?:file:\/\/|\/|[A-Za-z]:\\)/;

/** A stack frame: its file (URL or path) and whether it has no function name (module top-level code). */
interface Frame {
  file: string;
  nameless: boolean;
}

/**
 * The frames of the current stack, outermost last. From V8's structured call sites, which cost a quarter
 * of the stack's text (no line numbers to compute; measured at the first call of a pool in a fresh
 * process: 0.14 ms against 0.56 ms). From the text when someone has installed their own
 * `Error.prepareStackTrace`: their hook decides what the stack shows (a facade such as @weft/executor
 * hides its own frames that way; source-map support rewrites files).
 */
function stackFrames(): Frame[] {
  const hook = Error.prepareStackTrace;
  const sites = hook === undefined || isNodesOwn(hook) ? callSites(hook) : undefined;
  const frames: Frame[] = [];
  if (sites) {
    for (const site of sites) {
      const file = site.getFileName();
      if (!file) continue;
      // The text of such a frame is `at file:///...` or `at async file:///...` (see NAMELESS_FRAME).
      const nameless = site.getFunctionName() === null && (site.getTypeName() === null || site.isAsync());
      frames.push({ file, nameless: nameless && !site.isConstructor() });
    }
    return frames;
  }
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 30;
  const text = new Error().stack ?? '';
  Error.stackTraceLimit = saved;
  for (const line of text.split('\n').slice(1)) {
    const file = FRAME_LOCATION.exec(line.trim())?.[1];
    if (file) frames.push({ file, nameless: NAMELESS_FRAME.test(line.trim()) });
  }
  return frames;
}

/**
 * Node's own `Error.prepareStackTrace`, which Node 20.20 (and later lines) puts there from the start
 * (it formats the stack as Node always does). Anything else was installed by someone.
 */
function isNodesOwn(hook: NonNullable<typeof Error.prepareStackTrace>): boolean {
  return hook.name === 'ErrorPrepareStackTrace';
}

/** The current stack's call sites; `Error.prepareStackTrace` is `hook` again afterwards. */
function callSites(hook: typeof Error.prepareStackTrace): NodeJS.CallSite[] | undefined {
  const savedLimit = Error.stackTraceLimit;
  const holder: { stack?: unknown } = {};
  try {
    Error.stackTraceLimit = 30;
    Error.prepareStackTrace = (_error, sites) => sites;
    Error.captureStackTrace(holder, callSites);
    const sites = holder.stack;
    return Array.isArray(sites) ? (sites as NodeJS.CallSite[]) : undefined;
  } finally {
    Error.stackTraceLimit = savedLimit;
    if (hook === undefined) delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
    else Error.prepareStackTrace = hook;
  }
}

/**
 * The module that called into this package: the first stack frame outside it. Works for ESM, CommonJS
 * and files run through a loader such as tsx (frames show the source file).
 */
export function callerModule(): CallerModule | undefined {
  const frames = stackFrames();
  for (let i = 0; i < frames.length; i++) {
    if (!MODULE_FILE.test(frames[i]!.file)) continue;
    const url = toUrl(frames[i]!.file);
    if (ownDirectories.some((d) => url.startsWith(d)) || url.includes('/node_modules/@weft/pool/')) continue;
    if (url.includes('/node_modules/vitest/') || url.includes('/node_modules/@vitest/')) continue;
    let outermost = frames[i]!;
    for (let k = i + 1; k < frames.length; k++) if (toUrl(frames[k]!.file) === url) outermost = frames[k]!;
    return { url, evaluating: outermost.nameless };
  }
  return undefined;
}

function display(fn: TaskFunction): string {
  return fn.name ? `"${fn.name}"` : `an anonymous function (${abbreviate(String(fn))})`;
}

function abbreviate(source: string): string {
  const flat = source.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

/**
 * How `fn` can be rebuilt in a worker, if that can be told now, without importing anything: so that a
 * pool can publish its first tasks before this thread next yields (a busy main thread does not hold
 * them back). Known at once:
 *   - a function named with `task(fn, url)` (its export name given, or its own name);
 *   - a named function that the caller imports by that name (`import { f } from './m.js'`), or that
 *     the caller's own text exports;
 *   - an anonymous function written inline (never an export): its source.
 * A module ref carries the function's source: the worker checks that the export it finds is that
 * function, and refuses it otherwise (a shadowing local of the same name, a re-export under another
 * name), naming both. Anything else (a namespace import, a re-export through several modules, a bound
 * or native function) is left to `resolveFunctionRef`, which imports modules to find it.
 */
export function knownFunctionRef(
  fn: TaskFunction,
  caller: CallerModule | undefined,
): FunctionRef | undefined {
  const cached = resolved.get(fn);
  if (cached || typeof fn !== 'function') return cached;
  const ref = guessRef(fn, caller?.url);
  if (ref) resolved.set(fn, ref);
  return ref;
}

function guessRef(fn: TaskFunction, callerUrl: string | undefined): FunctionRef | undefined {
  const given = explicit.get(fn);
  const ownName = fn.name !== '' && !fn.name.startsWith('bound ') ? fn.name : undefined;
  if (given) {
    // Its own name only where the module's text exports that name (not `export default function f`,
    // not `export const g = function f`): otherwise its exports are searched (resolveFunctionRef).
    const name =
      given.name ?? (ownName !== undefined && exportsName(given.url, ownName) ? ownName : undefined);
    if (name === undefined) return undefined;
    return { kind: 'module', url: given.url, name, display: display(fn), source: String(fn) };
  }
  if (ownName !== undefined && callerUrl) {
    const candidates = candidateModules(callerUrl);
    for (let i = 1; i < candidates.length; i++) {
      const exportName = exportImportedAs(candidates[i]!, ownName);
      if (exportName === undefined) continue;
      const url = candidates[i]!.url();
      // A package this thread could not resolve to a file (an ES-only package, say): let
      // resolveFunctionRef import it, as the worker would have to.
      if (!url.startsWith('file:')) return undefined;
      return { kind: 'module', url, name: exportName, display: display(fn), source: String(fn) };
    }
    if (exportsName(callerUrl, ownName)) {
      return { kind: 'module', url: callerUrl, name: ownName, display: display(fn), source: String(fn) };
    }
    return undefined;
  }
  if (fn.name === '' && !isNative(fn) && !(callerUrl && moduleNameUsedBy(String(fn), callerUrl))) {
    return standaloneSource(fn);
  }
  return undefined;
}

/** The export of `candidate` that the caller imports as the function named `name` (its own name). */
function exportImportedAs(candidate: Candidate, name: string): string | undefined {
  for (const exportName of candidate.imported.values()) if (exportName === name) return exportName;
  // `import { f as g }` where the function itself is named g: rare, but the text says it is export f.
  return candidate.imported.get(name);
}

/**
 * Finds how `fn` can be rebuilt in a worker.
 * @throws FunctionNotShippableError (rejects) naming the function and the fix; never hangs.
 */
export async function resolveFunctionRef(
  fn: TaskFunction,
  caller: CallerModule | undefined,
): Promise<FunctionRef> {
  const cached = resolved.get(fn);
  if (cached) return cached;
  if (typeof fn !== 'function') {
    throw new FunctionNotShippableError(`expected a function to run in a worker, got ${typeof fn}`);
  }
  const ref = knownFunctionRef(fn, caller) ?? (await findRef(fn, caller));
  resolved.set(fn, ref);
  return ref;
}

async function findRef(fn: TaskFunction, caller: CallerModule | undefined): Promise<FunctionRef> {
  const callerUrl = caller?.url;
  const name = display(fn);
  const given = explicit.get(fn);
  if (given) {
    // Only an anonymous function without an export name comes here (knownFunctionRef takes the rest):
    // its export must be looked for, but never by waiting on a module that is still evaluating.
    let namespace: Record<string, unknown> | 'evaluating';
    try {
      namespace = await importIfEvaluated(given.url, true);
    } catch (error) {
      throw new FunctionNotShippableError(
        `cannot send ${name} to a worker: its module ${given.url} cannot be loaded (${String(error)}); ` +
          'check the URL given to task()',
        { cause: error },
      );
    }
    if (namespace === 'evaluating') {
      throw new FunctionNotShippableError(
        `cannot send ${name} to a worker: its module ${given.url} is still evaluating (top-level await), so ` +
          'its exports cannot be searched; pass the export name: task(fn, import.meta.url, name)',
      );
    }
    const exportName = given.name ?? findExport(namespace, fn);
    if (exportName === undefined || typeof namespace[exportName] !== 'function') {
      throw new FunctionNotShippableError(
        `cannot send ${name} to a worker: ${given.url} has no exported function ${given.name ?? fn.name}; ` +
          'export it, or pass its export name to task(fn, url, name)',
      );
    }
    return { kind: 'module', url: given.url, name: exportName, display: name };
  }
  if (fn.name.startsWith('bound ')) {
    throw new FunctionNotShippableError(
      `cannot send ${name} to a worker: a bound function carries its object, which cannot cross; ${FIX} ` +
        '(pass the object in args instead)',
    );
  }
  if (callerUrl) {
    const candidates = candidateModules(callerUrl);
    // The caller's imports first: they finished evaluating before the caller ran. Every import() and
    // every package resolution costs the main thread, which competes for the cores with the workers
    // starting up meanwhile, so the likeliest come first: the modules the caller imports the
    // function's name from, then its own files, then packages (resolved only when reached).
    const imports = candidates.slice(1);
    const naming = imports.filter((c) => fn.name !== '' && c.imported.has(fn.name));
    const files = imports.filter((c) => !naming.includes(c) && !c.bare);
    const packages = imports.filter((c) => !naming.includes(c) && c.bare);
    for (const candidate of [...naming, ...files, ...packages, candidates[0]!]) {
      const url = candidate.url();
      const { imported } = candidate;
      // A module still evaluating (top-level await in progress) cannot be imported without waiting
      // for the end of its evaluation, which may be waiting for this very call. The caller is known
      // to be evaluating when the call came from its top-level code (see callerModule); any other
      // module is found so by importIfEvaluated. Its text names the export instead, and the worker
      // checks that the function it finds has the same source.
      const namespace = url === callerUrl && caller?.evaluating ? 'evaluating' : await importIfEvaluated(url);
      if (namespace === 'evaluating') {
        if (fn.name && exportsName(url, fn.name)) {
          return { kind: 'module', url, name: fn.name, display: name, source: String(fn) };
        }
        continue;
      }
      if (!namespace) continue;
      const exportName = findExport(namespace, fn);
      if (exportName !== undefined) return { kind: 'module', url, name: exportName, display: name };
      // A loader that transforms modules (a test runner) gives the caller another instance of the
      // module; the import statement itself still says which export the caller's name is.
      const original = fn.name ? imported.get(fn.name) : undefined;
      if (original !== undefined && typeof namespace[original] === 'function') {
        // Not the same object: the worker checks that its export is the same function.
        return { kind: 'module', url, name: original, display: name, source: String(fn) };
      }
    }
  }
  const ref = standaloneSource(fn);
  const closedOver =
    ref?.kind === 'source' && callerUrl ? moduleNameUsedBy(ref.source, callerUrl) : undefined;
  if (closedOver !== undefined) {
    throw new FunctionNotShippableError(
      `cannot send ${name} to a worker as source text: it uses ${closedOver}, which its module ` +
        `${callerUrl} declares, and a worker cannot see this thread's variables; ${FIX}` +
        ` (or pass ${closedOver} in its arguments)`,
    );
  }
  if (ref) return ref;
  throw new FunctionNotShippableError(
    `cannot send ${name} to a worker: it is not exported from ${callerUrl ?? 'the calling module'} and its ` +
      `source is not a standalone function expression (a method?); ${FIX}`,
  );
}

function isNative(fn: TaskFunction): boolean {
  return /\{\s*\[native code\]\s*\}\s*$/.test(String(fn));
}

/**
 * `fn` as source text, if its text is a function expression of its own.
 * @throws FunctionNotShippableError for a native function.
 */
function standaloneSource(fn: TaskFunction): FunctionRef | undefined {
  const source = String(fn);
  if (isNative(fn)) {
    throw new FunctionNotShippableError(
      `cannot send ${display(fn)} to a worker: it is a native function; ${FIX}`,
    );
  }
  try {
    // Compiled as the worker will (function-load.ts, compileSource), so what it refuses fails here.
    new Function(`'use strict'; return (${source});`);
  } catch {
    return undefined;
  }
  return { kind: 'source', source, display: display(fn) };
}

/*
 * A function sent as source text must have no free variables: the worker compiles it alone, in strict
 * mode, so a variable it reads or assigns that the worker lacks throws there (function-load.ts). What is
 * seen here, from the texts alone, is the common case: the function uses a name its module declares at
 * its top level or imports (an unexported initializer that sets the module's `config`, a helper it
 * calls). That is refused at once. The reading is conservative: a name it also declares itself (a
 * parameter, a local, a catch binding), one only read as a property (`.name`) or written as an object
 * key (`name:`), is not counted; anything this misses still fails in the worker, by name.
 */
const TOP_LEVEL_DECLARATION =
  /^(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:function\s*\*?|class|const|let|var)\s*([\w$]+|\{[^}]*\}|\[[^\]]*\])/gm;
const NAMESPACE_IMPORT = /\bimport\s*\*\s*as\s+([\w$]+)/g;
const topLevelNamesByCaller = new Map<string, Set<string>>();

/** Names the module declares at its top level (unindented declarations) or imports. */
function topLevelNames(callerUrl: string): Set<string> {
  let names = topLevelNamesByCaller.get(callerUrl);
  if (names) return names;
  names = new Set();
  topLevelNamesByCaller.set(callerUrl, names);
  let text: string;
  try {
    text = readFileSync(fileURLToPath(callerUrl), 'utf8');
  } catch {
    return names;
  }
  for (const match of text.matchAll(TOP_LEVEL_DECLARATION)) {
    for (const name of match[1]!.replace(/[{}[\]]/g, ' ').split(/[\s,]+/)) {
      // `{ a: b }` binds b; `{ a = 1 }` binds a.
      const bound = name.includes(':') ? name.slice(name.indexOf(':') + 1) : name.split('=')[0]!;
      if (/^[A-Za-z_$][\w$]*$/.test(bound)) names.add(bound);
    }
  }
  for (const match of text.matchAll(NAMESPACE_IMPORT)) names.add(match[1]!);
  for (const match of text.matchAll(IMPORT_SPECIFIER)) {
    if (match[1] !== undefined && match[1] !== 'from') names.add(match[1]);
    for (const part of (match[2] ?? '').replace(/[{}]/g, '').split(',')) {
      const local = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (local && /^[A-Za-z_$][\w$]*$/.test(local)) names.add(local);
    }
  }
  return names;
}

/** A name of the caller's module that `source` uses without declaring it, if any (see above). */
function moduleNameUsedBy(source: string, callerUrl: string): string | undefined {
  const names = topLevelNames(callerUrl);
  if (names.size === 0) return undefined;
  const code = withoutStringsAndComments(source);
  for (const name of names) {
    const id = name.replace(/[$]/g, '\\$');
    // Used: not a property (`.name`), not an object key or label (`name:`).
    if (!new RegExp(`(?<![\\w$.])${id}(?![\\w$])(?!\\s*:)`).test(code)) continue;
    if (declares(code, id)) continue;
    return name;
  }
  return undefined;
}

/** Whether `code` declares the name `id` anywhere (a parameter, a local, a catch binding, a function). */
function declares(code: string, id: string): boolean {
  const word = `(?<![\\w$])${id}(?![\\w$])`;
  return [
    `\\b(?:const|let|var)\\s+[^=;]*?${word}`,
    `\\b(?:function\\s*\\*?|class)\\s*${word}`,
    `\\bfunction\\s*\\*?\\s*[\\w$]*\\s*\\([^)]*${word}`,
    `${word}\\s*=>`,
    `\\([^()]*${word}[^()]*\\)\\s*=>`,
    `\\bcatch\\s*\\(\\s*${word}`,
    // A method's parameters (also reads `if (name) {` as one: that only makes the check miss a case).
    `[\\w$]\\s*\\([^()]*${word}[^()]*\\)\\s*\\{`,
  ].some((pattern) => new RegExp(pattern).test(code));
}

/** `source` with string and template literal contents and comments blanked (roughly: no regex literals). */
function withoutStringsAndComments(source: string): string {
  return source
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"/g, '""')
    .replace(/`(?:\\.|\$\{[^}]*\}|[^`\\])*`/g, (template) =>
      // The expressions of a template are code.
      (template.match(/\$\{[^}]*\}/g) ?? []).join(' '),
    );
}

/** Export name under which `namespace` holds `fn`; falls back to same name and same source (two loaders). */
function findExport(namespace: Record<string, unknown>, fn: TaskFunction): string | undefined {
  const keys = Object.keys(namespace);
  for (const key of keys) if (namespace[key] === fn) return key;
  const defaults = namespace.default;
  if (defaults && typeof defaults === 'object') {
    for (const [key, value] of Object.entries(defaults)) if (value === fn) return `default.${key}`;
  }
  const source = String(fn);
  for (const key of keys) {
    const value = namespace[key];
    if (typeof value === 'function' && key === fn.name && String(value) === source) return key;
  }
  return undefined;
}

const TYPESCRIPT_TWINS: [RegExp, string][] = [
  [/\.js$/, '.ts'],
  [/\.mjs$/, '.mts'],
  [/\.cjs$/, '.cts'],
  [/\.jsx$/, '.tsx'],
  [/\.js$/, '.tsx'],
];

/**
 * TypeScript sources import `./x.js` meaning `./x.ts`; a loader maps it for the importing file, but
 * the worker imports by URL from elsewhere, so name the file that really exists.
 */
function onDisk(url: string): string {
  if (!url.startsWith('file:') || existsSync(fileURLToPath(url))) return url;
  for (const [pattern, extension] of TYPESCRIPT_TWINS) {
    if (!pattern.test(url)) continue;
    const twin = url.replace(pattern, extension);
    if (existsSync(fileURLToPath(twin))) return twin;
  }
  return url;
}

/**
 * `import(url)`, unless the module is still evaluating (then importing it would wait on ourselves).
 * A module that cannot be loaded gives undefined, or throws when `rethrow`.
 */
async function importIfEvaluated(url: string, rethrow: true): Promise<Record<string, unknown> | 'evaluating'>;
async function importIfEvaluated(url: string): Promise<Record<string, unknown> | 'evaluating' | undefined>;
async function importIfEvaluated(
  url: string,
  rethrow = false,
): Promise<Record<string, unknown> | 'evaluating' | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<'evaluating'>((resolve) => {
    timer = setTimeout(() => resolve('evaluating'), 200);
  });
  try {
    return await Promise.race([
      import(url).then(
        (ns: Record<string, unknown>) => ns,
        (error: unknown) => {
          if (rethrow) throw error;
          return undefined;
        },
      ),
      pending,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function exportsName(url: string, name: string): boolean {
  let text: string;
  try {
    text = readFileSync(fileURLToPath(url), 'utf8');
  } catch {
    return false;
  }
  const id = name.replace(/[$]/g, '\\$');
  return (
    new RegExp(`export\\s+(?:async\\s+)?(?:function\\*?|const|let|var|class)\\s+${id}\\b`).test(text) ||
    // (`export { f as g }` exports g, not f.)
    new RegExp(`export\\s*\\{[^}]*\\b${id}\\b(?!\\s+as\\b)[^}]*\\}`).test(text) ||
    new RegExp(`exports\\.${id}\\s*=`).test(text)
  );
}

/** An import or require: [1] its default import's local name, [2] its `{ ... }`, [4] the specifier. */
const IMPORT_SPECIFIER =
  /(?:\bimport\s*(?:type\s+)?(?:([\w$]+)\s*,?\s*)?(\{[^}]*\})?[^'"();]*?\bfrom\s*|\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])([^'"\n]+)\3/g;

interface Candidate {
  /** The module's URL, resolved on first use (a package's resolution reads files). */
  url: () => string;
  /** A package name (resolved from the caller's location), not a path. */
  bare: boolean;
  /** local name -> export name, from `import { a as b } from '...'` */
  imported: Map<string, string>;
}

function once(resolve: () => string): () => string {
  let value: string | undefined;
  return () => {
    value ??= resolve();
    return value;
  };
}

const candidatesByCaller = new Map<string, Candidate[]>();

/** The caller's module, then the modules it imports (read from its source text once per caller). */
function candidateModules(callerUrl: string): Candidate[] {
  let candidates = candidatesByCaller.get(callerUrl);
  if (!candidates) {
    candidates = readCandidateModules(callerUrl);
    candidatesByCaller.set(callerUrl, candidates);
  }
  return candidates;
}

function readCandidateModules(callerUrl: string): Candidate[] {
  const candidates: Candidate[] = [{ url: () => callerUrl, bare: false, imported: new Map() }];
  if (!callerUrl.startsWith('file:')) return candidates;
  let text: string;
  try {
    text = readFileSync(fileURLToPath(callerUrl), 'utf8');
  } catch {
    return candidates;
  }
  const bySpecifier = new Map<string, Candidate>();
  for (const match of text.matchAll(IMPORT_SPECIFIER)) {
    const specifier = match[4]!;
    if (specifier.startsWith('node:') || specifier.startsWith('@weft/pool')) continue;
    let candidate = bySpecifier.get(specifier);
    if (!candidate) {
      const bare = !specifier.startsWith('.') && !specifier.startsWith('/');
      candidate = {
        url: bare
          ? once(() => {
              try {
                return pathToFileURL(createRequire(callerUrl).resolve(specifier)).href;
              } catch {
                return specifier;
              }
            })
          : once(() => onDisk(new URL(specifier, callerUrl).href)),
        bare,
        imported: new Map(),
      };
      bySpecifier.set(specifier, candidate);
      candidates.push(candidate);
    }
    if (match[1] !== undefined && match[1] !== 'from') candidate.imported.set(match[1], 'default');
    for (const part of (match[2] ?? '').replace(/[{}]/g, '').split(',')) {
      const names = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/);
      if (names[0]) candidate.imported.set((names[1] ?? names[0]).trim(), names[0].trim());
    }
  }
  return candidates;
}
