/**
 * A VirtualPort on a pseudo-terminal (Linux, macOS): clients open a stable symlink to the slave as their
 * serial device. The I/O and the client's comings and goings are in the native addon (see
 * native/src/pty_core.h for how a client's open and close are detected); this class adds the link, the
 * events and the lifecycle.
 */
import { EventEmitter } from 'node:events';
import { createLink, defaultLinkPath, removeLink } from './link-path.js';
import { type ClientWatch, loadAddon, type NativePty, type PtyStats } from './pty-native.js';
import type { LineSettings, VirtualPort } from './virtual-port.js';

export type { ClientWatch, PtyStats } from './pty-native.js';

export interface PtyPortOptions {
  /** The port's name in the config; it names the default link. */
  name: string;
  /** The symlink clients open (a leading `~` is expanded); default defaultLinkPath(name). */
  link?: string;
  /** Default: 'inotify' on Linux, 'probe' elsewhere. 'probe' on Linux exercises the portable path. */
  clientWatch?: ClientWatch;
}

/** Event signatures: 'data' carries when the bytes were read (process.hrtime() clock, ms). */
export interface PtyPortEvents {
  data: [bytes: Uint8Array, readAtMs: number];
  client: [open: boolean];
  error: [err: Error];
}

/** Links of ports still open when the process exits are removed even without close(). */
const openPorts = new Set<PtyPort>();
let exitHookInstalled = false;

function track(port: PtyPort): void {
  openPorts.add(port);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of openPorts) removeLink(p.link, p.path);
  });
}

export class PtyPort extends EventEmitter<PtyPortEvents> implements VirtualPort {
  private closed = false;

  private constructor(
    /** The port's name in the config. */
    readonly name: string,
    /** The symlink clients open (absolute). */
    readonly link: string,
    /** The device behind it, /dev/pts/N. */
    readonly path: string,
    private readonly pty: NativePty,
  ) {
    super();
  }

  /** Opens a pty in raw mode, links it and starts I/O. Rejects with a LinkError if the link is unsafe. */
  static async open(options: PtyPortOptions): Promise<PtyPort> {
    const { Pty } = loadAddon();
    const pty = new Pty(options.clientWatch ?? (process.platform === 'linux' ? 'inotify' : 'probe'));
    let link: string;
    try {
      link = createLink(options.link ?? defaultLinkPath(options.name), pty.path);
    } catch (err) {
      pty.close();
      throw err;
    }
    const port = new PtyPort(options.name, link, pty.path, pty);
    // The first callback comes from a later event-loop turn, after the caller's `await` has resumed and
    // attached its listeners.
    pty.start(
      (chunk, readAtMs) => port.emit('data', chunk, readAtMs),
      (open) => port.emit('client', open),
    );
    track(port);
    return port;
  }

  /** How this port notices a returning client ('probe' also where inotify was unavailable). */
  get clientWatch(): ClientWatch {
    return this.pty.clientWatch;
  }

  get clientOpen(): boolean {
    return !this.closed && this.pty.clientOpen();
  }

  /**
   * What the client set with tcsetattr, read live. Baud and stop bits are faithful. On Linux the pty
   * driver forces CS8 and clears PARENB on every tcsetattr (drivers/tty/pty.c), so data bits and parity
   * always read 8 and 'none' there, whatever the client asked for.
   */
  lineSettings(): LineSettings {
    if (this.closed) throw new Error(`port ${this.name} is closed`);
    return this.pty.lineSettings();
  }

  /** Never blocks: bytes the client does not read are queued up to 64 KiB, then dropped and counted. */
  write(bytes: Uint8Array): void {
    if (!this.closed) this.pty.write(bytes);
  }

  stats(): PtyStats {
    return this.pty.stats();
  }

  /** Stops I/O, closes the pty (the client reads EOF) and removes the link if it is still ours. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    openPorts.delete(this);
    this.pty.close();
    removeLink(this.link, this.path);
  }
}
