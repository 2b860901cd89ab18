import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { AllowList, parseListenAddress } from '../net/address.js';

export interface DoorListenerOptions {
  /** Names the door in logs and errors: `server "hamlib"`, `the TCP door of port "ft8"`. */
  what: string;
  /** `host:port` (net/address.ts rules); port 0 picks a free port (tests). */
  listen: string;
  /** Required by the config when `listen` is not loopback; absent: every connection is accepted. */
  allow?: readonly string[] | undefined;
  logger: Logger;
  /** A connection that passed the allow list. */
  onConnection(socket: Socket): void;
}

/** A listening door: where it listens (the real port when 0 was asked) and how to stop it. */
export interface DoorListener {
  readonly server: Server;
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Opens a door's TCP listener. Connections from addresses its allow list does not cover are closed at
 * once and logged (issue 14 "Security": these protocols key a transmitter and carry no authentication).
 * A busy address is a start-up error naming the door, with what usually holds it.
 */
export async function listenDoor(options: DoorListenerOptions): Promise<DoorListener> {
  const { host, port } = parseListenAddress(options.listen);
  const allow = options.allow && options.allow.length > 0 ? AllowList.parse(options.allow) : undefined;
  const server = createServer({ noDelay: true }, (socket) => {
    if (allow && !allow.allows(socket.remoteAddress)) {
      options.logger.warn(
        { door: options.what, remote: socket.remoteAddress, allow: allow.entries },
        'connection from an address not in allow: closed',
      );
      socket.destroy();
      return;
    }
    options.onConnection(socket);
  });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'EADDRINUSE'
          ? `${options.listen} is already in use (is rigctld or flrig listening there? move it, e.g. rigctld -t 4534)`
          : err.message;
      reject(new Error(`${options.what} cannot listen: ${why}`));
    };
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const bound = server.address();
  return {
    server,
    host,
    port: typeof bound === 'object' && bound ? bound.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}
