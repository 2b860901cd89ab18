import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Rig } from '../../model/rig.js';
import type { Emulator, FrameEvent } from '../../rigs/emulator.js';
import type { ServerConfig } from '../doors-config.js';
import { PortSession } from '../ports/port-session.js';
import type { VirtualPort } from '../ports/virtual-port.js';
import type { SharedRig } from '../rig/shared-rig.js';
import { type DoorListener, listenDoor } from './door-listener.js';
import { watchPttIdle } from './ptt-idle.js';
import { SocketPort } from './socket-port.js';

/** Builds a connection's protocol handler; `quit` closes the connection (rigctld's `q`). */
export type DoorProtocol = (context: {
  rig: Rig;
  write(bytes: Uint8Array): void;
  onFrame(event: FrameEvent): void;
  quit(): void;
}) => Emulator;

/** A connection as a VirtualPort: SocketPort for line protocols, HttpExchangePort for XML-RPC. */
export type DoorPort = VirtualPort & { readonly remote: string; close(): Promise<void> };
export type DoorTransport = (socket: Socket, doorAddress: string) => DoorPort;

/** One connected network client. */
export interface DoorClient {
  /** `hamlib#3`: the server's name and the connection's number, as logs, PTT owner and trace name it. */
  readonly name: string;
  readonly remote: string;
  readonly connectedAt: string;
  readonly session: PortSession;
}

export interface NetworkDoorEvents {
  /** A client connected (true) or went (false). */
  client: [client: DoorClient, connected: boolean];
}

/**
 * A network server on a SharedRig (DESIGN.md "Doors"): every connection is a client like a port's —
 * a SocketPort feeding its own PortSession, with its own protocol state, settle window and PTT
 * ownership — so the open rule, the one-transmitter rule and PTT release on close apply unchanged.
 * A keyed client silent for `ptt_idle_s` is unkeyed.
 */
export class NetworkDoor extends EventEmitter<NetworkDoorEvents> {
  readonly clients = new Set<DoorClient>();
  private connections = 0;
  private readonly stops = new Set<() => void>();

  private constructor(
    readonly config: ServerConfig,
    private readonly shared: SharedRig,
    private readonly protocol: DoorProtocol,
    private readonly logger: Logger,
    /** How long a first answer may wait for a read after the connect: the client's timeout less 50 ms. */
    private readonly firstReplyWaitMs: number,
    private readonly transport: DoorTransport,
  ) {
    super();
  }

  private listener: DoorListener | undefined;

  static async open(
    config: ServerConfig,
    shared: SharedRig,
    protocol: DoorProtocol,
    logger: Logger,
    firstReplyWaitMs: number,
    transport: DoorTransport = (socket, address) => new SocketPort(socket, address),
  ): Promise<NetworkDoor> {
    const door = new NetworkDoor(config, shared, protocol, logger, firstReplyWaitMs, transport);
    door.listener = await listenDoor({
      what: `server "${config.name}"`,
      listen: config.listen,
      allow: config.allow,
      logger,
      onConnection: (socket) => door.accept(door.transport(socket, door.address)),
    });
    logger.info({ server: config.name, type: config.type, listen: door.address }, 'door listening');
    return door;
  }

  /** `127.0.0.1:4532` as listened on (the real port when 0 was configured). */
  get address(): string {
    if (!this.listener) return this.config.listen;
    const host = this.listener.host.includes(':') ? `[${this.listener.host}]` : this.listener.host;
    return `${host}:${this.listener.port}`;
  }

  get port(): number {
    return this.listener?.port ?? 0;
  }

  private accept(port: DoorPort): void {
    const name = `${this.config.name}#${++this.connections}`;
    const rig = this.shared.portRig(name, {
      readonly: this.config.readonly,
      allowPtt: this.config.ptt.allow,
      maxPttSeconds: this.config.ptt.max_seconds,
      releaseOnClose: true,
      foreignOff: false,
    });
    const session = new PortSession(
      name,
      port,
      rig,
      this.shared,
      // The session also runs a shadow of the protocol on a probe rig (to learn what bytes will read):
      // only the real one may hang up.
      (handle, write, onFrame) =>
        this.protocol({
          rig: handle,
          write,
          onFrame,
          quit: handle === rig ? () => void port.close() : () => {},
        }),
      this.logger,
      this.firstReplyWaitMs,
    );
    const client: DoorClient = { name, remote: port.remote, connectedAt: new Date().toISOString(), session };
    const stopIdle = watchPttIdle(port, rig, this.shared, this.config.ptt_idle_s, this.logger);
    this.stops.add(stopIdle);
    this.clients.add(client);
    this.logger.info(
      { server: this.config.name, client: name, remote: port.remote },
      'network client connected',
    );
    this.emit('client', client, true);
    port.on('client', (open) => {
      if (open) return;
      // The PortSession has run the close (PTT released, last intentions flushed); forget the client.
      stopIdle();
      this.stops.delete(stopIdle);
      this.clients.delete(client);
      void session.close().then(() => this.shared.dropPortRig(rig));
      this.logger.info({ server: this.config.name, client: name }, 'network client gone');
      this.emit('client', client, false);
    });
  }

  /** Stops listening and closes every connection (their PTT is released as on any close). */
  async close(): Promise<void> {
    for (const stop of this.stops) stop();
    await Promise.allSettled([...this.clients].map((c) => c.session.close()));
    await this.listener?.close();
  }
}
