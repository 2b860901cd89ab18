import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { LineSettings, VirtualPort } from '../ports/virtual-port.js';
import { type DoorListener, listenDoor } from './door-listener.js';
import { SocketPort } from './socket-port.js';

interface TcpCatPortEvents {
  data: [bytes: Uint8Array, readAtMs: number];
  client: [open: boolean];
  error: [err: Error];
}

export interface TcpCatPortOptions {
  /** The port's name in the config. */
  name: string;
  listen: string;
  allow?: readonly string[] | undefined;
  logger: Logger;
}

/**
 * A port's CAT on a TCP listener (issue 14, "CAT over TCP"): the same emulated radio, byte for byte,
 * for clients that take `host:port` (Hamlib's Kenwood/Yaesu models, loggers, SDR programs, a Windows
 * PC's TCP-to-COM redirector). Like a serial port it has one client at a time: a second connection is
 * closed at once and logged, and the first keeps the radio.
 */
export class TcpCatPort extends EventEmitter<TcpCatPortEvents> implements VirtualPort {
  private client: SocketPort | null = null;

  private constructor(
    readonly name: string,
    private readonly listener: DoorListener,
    private readonly logger: Logger,
  ) {
    super();
  }

  static async open(options: TcpCatPortOptions): Promise<TcpCatPort> {
    let port: TcpCatPort | undefined;
    const listener = await listenDoor({
      what: `the TCP door of port "${options.name}"`,
      listen: options.listen,
      allow: options.allow,
      logger: options.logger,
      onConnection: (socket) => port?.accept(socket),
    });
    port = new TcpCatPort(options.name, listener, options.logger);
    return port;
  }

  /** `tcp://host:port`, where clients connect. */
  get link(): string {
    const host = this.listener.host.includes(':') ? `[${this.listener.host}]` : this.listener.host;
    return `tcp://${host}:${this.listener.port}`;
  }

  /** The connected client's address (`tcp:127.0.0.1:50514`), or the listener when nobody is there. */
  get path(): string {
    return this.client?.path ?? this.link;
  }

  /** The TCP port listened on (the real one when 0 was configured). */
  get tcpPort(): number {
    return this.listener.port;
  }

  /** The connected client's `address:port`, if any. */
  get remote(): string | null {
    return this.client?.remote ?? null;
  }

  get clientOpen(): boolean {
    return this.client !== null;
  }

  lineSettings(): LineSettings {
    throw new Error('a TCP client has no line settings');
  }

  write(bytes: Uint8Array): void {
    this.client?.write(bytes);
  }

  private accept(socket: Socket): void {
    if (this.client) {
      // A serial port has one client; the one holding it keeps the radio (and its PTT).
      this.logger.warn(
        {
          port: this.name,
          remote: `${socket.remoteAddress}:${socket.remotePort}`,
          holder: this.client.remote,
        },
        'second connection to a CAT-over-TCP port refused: it has a client',
      );
      socket.destroy();
      return;
    }
    const client = new SocketPort(socket, this.link);
    this.client = client;
    client.on('data', (bytes, readAtMs) => this.emit('data', bytes, readAtMs));
    client.on('client', (open) => {
      if (!open && this.client === client) this.client = null;
      this.emit('client', open);
    });
  }

  /** Ends the client's connection and stops listening. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    await Promise.all([client?.close(), this.listener.close()]);
  }
}
