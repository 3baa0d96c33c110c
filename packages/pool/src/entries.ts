/**
 * The file a worker thread or a child process starts from: always the CommonJS bundle, which Node loads
 * a few ms sooner than an ES module entry (no module loader to set up before the first line runs; the
 * task modules are imported later in either case).
 */
export const workerFile = new URL('./worker.cjs', import.meta.url);

/**
 * The format of this copy of the package. A worker loads @weft/codec in the same format, so that the
 * packages the codec loads on demand (a Lock's @weft/lock, ...) are the copies the task modules import:
 * a Lock decoded in a worker is then an instance of the class the task sees.
 */
export const codecFormat: 'esm' | 'cjs' = import.meta.url.endsWith('.cjs') ? 'cjs' : 'esm';

/** The codec's file URL once resolved; null: it cannot be (the worker then imports it by name). */
let resolvedCodec: string | null | undefined;

/**
 * The file URL of the codec an ES module copy of this package imports (undefined in the CommonJS copy,
 * whose workers require() the codec by name). A worker loads that very file (see worker.ts).
 */
export function codecUrl(): string | undefined {
  if (codecFormat !== 'esm' || resolvedCodec === null) return undefined;
  try {
    resolvedCodec ??= import.meta.resolve?.('@weft/codec') ?? null;
  } catch {
    resolvedCodec = null; // the worker imports it by name, as before
  }
  return resolvedCodec ?? undefined;
}
