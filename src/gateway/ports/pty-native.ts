/**
 * The native pty addon (native/src/addon.cc), typed, and loaded on first use so that modules which only
 * import types (config checks, tests of other parts) never need it built.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../../util/package-root.js';
import type { LineSettings } from './virtual-port.js';

/** How a returning client is noticed: an inotify watch on the slave (Linux) or a 25 ms probe read. */
export type ClientWatch = 'inotify' | 'probe';

export interface PtyStats {
  /** Bytes read from the client. */
  bytesIn: number;
  /** Bytes written to the client. */
  bytesOut: number;
  /** Bytes waiting for a client that is not reading (at most 64 KiB). */
  queuedBytes: number;
  /** Bytes dropped because the queue was full. */
  droppedOverflowBytes: number;
  /** Bytes dropped because no client held the port, or queued for a client that then left. */
  droppedNoClientBytes: number;
}

export interface NativePty {
  /** The slave device, /dev/pts/N. */
  readonly path: string;
  readonly clientWatch: ClientWatch;
  /** Callbacks run from the event loop; readAtMs is on the process.hrtime() clock, in ms. */
  start(onData: (chunk: Buffer, readAtMs: number) => void, onClient: (open: boolean) => void): void;
  /** Never blocks; returns the bytes written or queued (the rest are dropped and counted). */
  write(bytes: Uint8Array): number;
  clientOpen(): boolean;
  lineSettings(): LineSettings;
  stats(): PtyStats;
  /** Idempotent; no callback runs afterwards. */
  close(): void;
}

interface Addon {
  Pty: new (clientWatch?: ClientWatch) => NativePty;
}

/** Where the addon lives: native/build/Release when built from source, else native/prebuilds/<platform>-<arch>. */
export const ADDON_DIR = 'native';

let addon: Addon | undefined;

export function loadAddon(): Addon {
  if (!addon) {
    const dir = join(packageRoot(import.meta.url), ADDON_DIR);
    const require = createRequire(import.meta.url);
    try {
      // node-gyp-build picks a local build first, then the prebuild for this platform, arch and libc.
      const load = require('node-gyp-build') as (dir: string) => unknown;
      addon = load(dir) as Addon;
    } catch (err) {
      throw new Error(
        `the native pty addon is missing or broken in ${dir}: ${(err as Error).message}. ` +
          `No prebuilt one fits ${process.platform}-${process.arch}; build it from source with ` +
          `\`npm rebuild -g catbridge\` for a global install (needs g++, make and python3)`,
      );
    }
  }
  return addon;
}

/** Now, on the clock of the readAtMs stamps (uv_hrtime, which process.hrtime() reads), in ms. */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
