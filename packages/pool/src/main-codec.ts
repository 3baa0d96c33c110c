/**
 * The codec on the main side (any thread that starts pools or processes): installed for payload.ts as
 * soon as the index bundle loads (engine.ts imports it; every entry of the package shares that bundle).
 * Worker threads load it on first need instead (worker.ts).
 */
import * as codec from '@weft/codec';
import { installCodec } from './payload.js';

installCodec(codec);

/** Every SharedArrayBuffer this thread knows by id, for a new worker to adopt (see @weft/codec). */
export function codecSnapshot(): unknown {
  return codec.bufferSnapshot();
}
