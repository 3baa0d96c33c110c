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
const codecFormat: 'esm' | 'cjs' = import.meta.url.endsWith('.cjs') ? 'cjs' : 'esm';

/** Which codec a worker loads: this copy's format and, for an ES module copy, the codec's file URL. */
export interface CodecSource {
  format: 'esm' | 'cjs';
  /** Where this copy's `import('@weft/codec')` leads (a worker loads that very file, see worker.ts). */
  url: string | undefined;
}

let source: CodecSource | undefined;

/** This copy's CodecSource (resolved once). The CommonJS copy's workers require() the codec by name. */
export function codecSource(): CodecSource {
  source ??= { format: codecFormat, url: codecFormat === 'esm' ? resolveCodec() : undefined };
  return source;
}

function resolveCodec(): string | undefined {
  try {
    return import.meta.resolve?.('@weft/codec');
  } catch {
    return undefined; // the worker imports it by name
  }
}
