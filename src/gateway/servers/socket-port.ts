import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { monotonicMs } from '../ports/pty-native.js';
import type { LineSettings, VirtualPort } from '../ports/virtual-port.js';

/** Event signatures of a VirtualPort, as PtyPort has them. */
interface SocketPortEvents {
  data: [bytes: Uint8Array, readAtMs: number];
  client: [open: boolean];
  error: [err: Error];
}

/**
 * One network client's connection as a VirtualPort, so a door's client goes through the same
 * PortSession as a pty's: the open rule, the settle window, PTT release on close (DESIGN.md "Doors").
 * The connection is the open; its end (FIN, RST, destroy) is the close.
 */
export class SocketPort extends EventEmitter<SocketPortEvents> implements VirtualPort {
  private open = true;
  /** `tcp://127.0.0.1:4532 ← 127.0.0.1:50514`: where the client came in and from where. */
  readonly link: string;
  readonly path: string;
  /** The client's address and port, as the dashboard shows it. */
  readonly remote: string;

  constructor(
    private readonly socket: Socket,
    door: string,
  ) {
    super();
    this.remote = `${socket.remoteAddress}:${socket.remotePort}`;
    this.link = door;
    this.path = `tcp:${this.remote}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.emit('data', chunk, monotonicMs()));
    socket.on('error', () => {
      // ECONNRESET and the like: the close that follows is the client leaving.
    });
    socket.on('close', () => {
      if (!this.open) return;
      this.open = false;
      this.emit('client', false);
    });
    // Listeners are attached by the caller after construction; the open is told on the next turn.
    queueMicrotask(() => {
      if (this.open) this.emit('client', true);
    });
  }

  get clientOpen(): boolean {
    return this.open;
  }

  /** A socket has no serial line; the REST API shows nulls. */
  lineSettings(): LineSettings {
    throw new Error('a TCP client has no line settings');
  }

  write(bytes: Uint8Array): void {
    if (this.open && this.socket.writable) this.socket.write(bytes);
  }

  /** Ends the connection (the client reads EOF); the 'client' false event follows. */
  async close(): Promise<void> {
    if (this.socket.destroyed) return;
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
      // A client that never reads its end of the socket must not hold the shutdown.
      setTimeout(() => this.socket.destroy(), 200).unref();
    });
  }
}
