/**
 * Mutual authentication before anything else, Python's deliver_challenge / answer_challenge with
 * HMAC-SHA256: the server challenges the client, then the client challenges the server; each side
 * proves it knows the key without sending it. All handshake frames are small (HANDSHAKE_FRAME_LIMIT)
 * and the whole exchange must finish within the handshake timeout.
 *
 * After the exchange the two sides may move to shared memory: the server's welcome carries an offer
 * (listener token, pid, host name); a client in the same process answers with a nonce, sends a ring
 * buffer through the listener's BroadcastChannel, and the server adopts it (or answers "#TCP#").
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hostname } from 'node:os';
import { AuthenticationError, ClosedError, ProtocolError } from './errors.js';
import type { FrameInbox } from './frame-inbox.js';
import type { FrameTransport } from './frame-transport.js';

export const HANDSHAKE_FRAME_LIMIT = 1024;
export const DEFAULT_HANDSHAKE_TIMEOUT = 10_000;

const CHALLENGE = bytes('#CHALLENGE#{sha256}');
const WELCOME = bytes('#WELCOME#');
const FAILURE = bytes('#FAILURE#');
export const FALLBACK_TO_SOCKET = bytes('#TCP#');
/** Instead of a challenge: the server is at its connection limit; the reason follows. */
export const BUSY = bytes('#BUSY#');
const NONCE_BYTES = 16;

function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function startsWith(frame: Uint8Array, prefix: Uint8Array): boolean {
  if (frame.byteLength < prefix.byteLength) return false;
  for (let i = 0; i < prefix.byteLength; i++) if (frame[i] !== prefix[i]) return false;
  return true;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

function digest(authkey: Uint8Array, message: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', authkey).update(message).digest());
}

/** Challenges the peer; resolves if it answered with the right digest. */
async function deliverChallenge(
  transport: FrameTransport,
  inbox: FrameInbox,
  authkey: Uint8Array,
  timeoutMs: number,
  welcomeExtra: Uint8Array,
): Promise<void> {
  const message = concat(CHALLENGE, randomBytes(32));
  transport.write(message);
  const answer = await inbox.next(timeoutMs);
  const expected = digest(authkey, message);
  if (answer.byteLength !== expected.byteLength || !timingSafeEqual(answer, expected)) {
    transport.write(FAILURE);
    throw new AuthenticationError('digest received was wrong');
  }
  transport.write(concat(WELCOME, welcomeExtra));
}

/** Answers the peer's challenge; resolves with what followed its welcome. */
async function answerChallenge(
  transport: FrameTransport,
  inbox: FrameInbox,
  authkey: Uint8Array,
  timeoutMs: number,
): Promise<Uint8Array> {
  const message = await inbox.next(timeoutMs);
  if (startsWith(message, BUSY)) {
    const reason = new TextDecoder().decode(message.subarray(BUSY.byteLength, 256));
    throw new ClosedError(`connection refused: ${reason}`);
  }
  if (!startsWith(message, CHALLENGE)) throw new ProtocolError('the peer did not send a challenge');
  transport.write(digest(authkey, message));
  const verdict = await inbox.next(timeoutMs);
  if (startsWith(verdict, WELCOME)) return verdict.subarray(WELCOME.byteLength);
  if (startsWith(verdict, FAILURE)) throw new AuthenticationError('digest sent was rejected');
  throw new ProtocolError('unexpected answer to the challenge response');
}

/** The listener's side. Resolves with the client's shared-memory nonce if it asked for one. */
export async function serverHandshake(
  transport: FrameTransport,
  inbox: FrameInbox,
  authkey: Uint8Array,
  timeoutMs: number,
  offer: SharedMemoryOffer | undefined,
): Promise<Uint8Array | undefined> {
  const extra = offer ? encodeOffer(offer) : new Uint8Array(0);
  await deliverChallenge(transport, inbox, authkey, timeoutMs, extra);
  const reply = await answerChallenge(transport, inbox, authkey, timeoutMs);
  if (reply.byteLength === NONCE_BYTES && offer) return reply;
  return undefined;
}

/**
 * The connecting side. `chooseSharedMemory` sees the server's offer and returns a nonce to ask for
 * shared memory (or undefined to stay on the socket).
 */
export async function clientHandshake(
  transport: FrameTransport,
  inbox: FrameInbox,
  authkey: Uint8Array,
  timeoutMs: number,
  chooseSharedMemory: (offer: SharedMemoryOffer) => Uint8Array | undefined,
): Promise<{ offer: SharedMemoryOffer | undefined; nonce: Uint8Array | undefined }> {
  const extra = await answerChallenge(transport, inbox, authkey, timeoutMs);
  const offer = decodeOffer(extra);
  const nonce = offer ? chooseSharedMemory(offer) : undefined;
  await deliverChallenge(transport, inbox, authkey, timeoutMs, nonce ?? new Uint8Array(0));
  return { offer, nonce };
}

export interface SharedMemoryOffer {
  /** Names the listener's BroadcastChannel. */
  token: string;
  pid: number;
  host: string;
}

export function newNonce(): Uint8Array {
  return new Uint8Array(randomBytes(NONCE_BYTES));
}

export function localOffer(token: string): SharedMemoryOffer {
  return { token, pid: process.pid, host: hostname() };
}

/** Whether an offer comes from this very process (then a shared-memory channel can be tried). */
export function isSameProcess(offer: SharedMemoryOffer): boolean {
  return offer.pid === process.pid && offer.host === hostname();
}

function encodeOffer(offer: SharedMemoryOffer): Uint8Array {
  return bytes(JSON.stringify(offer));
}

function decodeOffer(extra: Uint8Array): SharedMemoryOffer | undefined {
  if (extra.byteLength === 0) return undefined;
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(extra));
    if (value && typeof value === 'object') {
      const { token, pid, host } = value as Record<string, unknown>;
      if (typeof token === 'string' && typeof pid === 'number' && typeof host === 'string')
        return { token, pid, host };
    }
  } catch {}
  return undefined;
}

export function hex(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('hex');
}
