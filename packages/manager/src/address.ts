/**
 * Where a Listener listens and a Client connects: `[host, port]` for TCP or a path for a Unix socket
 * (a named pipe path on Windows), as in Python's `multiprocessing.connection`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `[host, port]` (TCP) or a filesystem path (Unix socket). */
export type Address = readonly [host: string, port: number] | string;

/** The default host: only this machine can connect. `''` listens on every interface (see README). */
export const DEFAULT_HOST = '127.0.0.1';

let privateDirectory: string | undefined;

/**
 * A fresh Unix socket path in a directory only this user can enter (mode 0700, made once per thread
 * and removed with everything in it when the thread or process exits), as Python's
 * `multiprocessing.util.get_temp_dir()` + `arbitrary_address('AF_UNIX')` do: another user of the
 * machine cannot connect to the socket, or even see its name, to try keys on it.
 */
export function privateSocketPath(): string {
  if (privateDirectory === undefined) {
    // mkdtemp creates the directory with mode 0700 and a name no one can claim first.
    const directory = mkdtempSync(join(tmpdir(), 'weft-'));
    privateDirectory = directory;
    process.once('exit', () => rmSync(directory, { recursive: true, force: true }));
  }
  return join(privateDirectory, `listener-${randomBytes(6).toString('hex')}.sock`);
}

/** Validates an address; throws TypeError on anything else. */
export function checkAddress(address: unknown): Address {
  if (typeof address === 'string') {
    if (address.length === 0) throw new TypeError('a Unix socket address must be a non-empty path');
    return address;
  }
  if (Array.isArray(address) && address.length === 2) {
    const [host, port] = address as unknown[];
    if (
      typeof host === 'string' &&
      Number.isInteger(port) &&
      (port as number) >= 0 &&
      (port as number) < 65536
    ) {
      return [host, port as number];
    }
  }
  throw new TypeError(`address must be [host, port] or a socket path, got ${JSON.stringify(address)}`);
}

/** Options for `server.listen`: `''` means every interface, like Python. */
export function listenOptions(address: Address): net.ListenOptions {
  if (typeof address === 'string') return { path: address };
  const [host, port] = address;
  return host === '' ? { port } : { host, port };
}

/** Options for `net.connect`. */
export function connectOptions(address: Address): net.NetConnectOpts {
  if (typeof address === 'string') return { path: address };
  const [host, port] = address;
  return { host: host === '' ? DEFAULT_HOST : host, port };
}

/** The address a server actually listens on (the real port when 0 was asked). */
export function boundAddress(server: net.Server, asked: Address): Address {
  if (typeof asked === 'string') return asked;
  const info = server.address();
  if (info && typeof info === 'object') return [asked[0], info.port];
  return asked;
}
