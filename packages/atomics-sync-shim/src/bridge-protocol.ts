/**
 * What the calling thread and the helper thread of a sync bridge say to each other.
 *
 * Data travels over a MessagePort; the calling thread never listens on it (it is blocked) but takes
 * answers off it with `receiveMessageOnPort`. The shared word tells it when to look:
 *
 *   state (Int32Array over a SharedArrayBuffer of 4 bytes)
 *   word 0  ANSWERS  number of answers posted so far; the helper bumps it after each postMessage,
 *                    then notifies. The caller reads it before looking at the port and waits on it.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Transported } from './transported-error.js';

export const ANSWERS = 0;

export interface BridgeWorkerData {
  moduleUrl: string;
  port: MessagePort;
  state: SharedArrayBuffer;
}

export interface BridgeRequest {
  id: number;
  name: string;
  args: unknown[];
}

export type BridgeAnswer =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: Transported }
  /** The helper is going away (its module crashed it or called process.exit): every call fails. */
  | { id: 0; ok: false; fatal: Transported };
