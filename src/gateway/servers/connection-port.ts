import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { LineSettings, VirtualPort } from '../ports/virtual-port.js';

/** Event signatures of a VirtualPort, as PtyPort has them. */
export interface ConnectionPortEvents {
  data: [bytes: Uint8Array, readAtMs: number];
  client: [open: boolean];
  error: [err: Error];
}

/**
 * What every network client's VirtualPort shares: the connection is the open (told on the next turn,
 * once the caller has attached its listeners), its end (FIN, RST, destroy) is the close, and its
 * address names it. Subclasses frame the bytes (SocketPort: a byte stream; HttpExchangePort: HTTP
 * request bodies).
 */
export abstract class ConnectionPort extends EventEmitter<ConnectionPortEvents> implements VirtualPort {
  private open = true;
  /** Where the client came in (the door's address). */
  readonly link: string;
  /** `tcp:<client address>`. */
  readonly path: string;
  /** The client's address and port, as the dashboard shows it. */
  readonly remote: string;

  constructor(
    protected readonly socket: Socket,
    door: string,
  ) {
    super();
    this.remote = `${socket.remoteAddress}:${socket.remotePort}`;
    this.link = door;
    this.path = `tcp:${this.remote}`;
    socket.setNoDelay(true);
    socket.on('error', () => {
      // ECONNRESET and the like: the close that follows is the client leaving.
    });
    socket.on('close', () => {
      if (!this.open) return;
      this.open = false;
      this.closed();
      this.emit('client', false);
    });
    queueMicrotask(() => {
      if (this.open) this.emit('client', true);
    });
  }

  /** The connection ended: drop what waits on it. */
  protected closed(): void {}

  get clientOpen(): boolean {
    return this.open;
  }

  /** A socket has no serial line; the REST API shows nulls. */
  lineSettings(): LineSettings {
    throw new Error('a network client has no line settings');
  }

  abstract write(bytes: Uint8Array): void;

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
