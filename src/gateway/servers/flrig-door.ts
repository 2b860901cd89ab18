import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { ServerConfig } from '../doors-config.js';
import type { SharedRig } from '../rig/shared-rig.js';
import { FlrigSession } from './flrig/session.js';
import { encodeResponse, Fault } from './flrig/wire.js';
import { HttpExchangePort } from './http-exchange-port.js';
import { NetworkDoor } from './network-door.js';

/**
 * Hamlib's flrig backend gives up after its 1000 ms timeout; fldigi's flrig client waits longer. A
 * first answer may wait for a fresh read of the radio up to 900 ms.
 */
const FLRIG_FIRST_REPLY_WAIT_MS = 900;

const NOT_READ_IN_TIME = () =>
  Buffer.from(encodeResponse(new Fault(-1, 'radio not read in time after the connect; try again')), 'utf8');

/**
 * The flrig-compatible XML-RPC server (issue 14): flrig 1.4.7's methods and value types on a SharedRig,
 * HTTP/1.1 keep-alive on any path. node:http parses the HTTP; each connection is a client of the radio.
 */
export async function openFlrigDoor(
  config: ServerConfig,
  shared: SharedRig,
  logger: Logger,
): Promise<NetworkDoor> {
  const ports = new WeakMap<Socket, HttpExchangePort>();
  const http = createServer((request, response) => {
    const port = ports.get(request.socket as Socket);
    if (!port || request.method !== 'POST') {
      response.writeHead(request.method === 'POST' ? 500 : 405).end();
      return;
    }
    port.request(request, response);
  });
  // Clients keep one connection for a whole session and may be idle between polls for long.
  http.keepAliveTimeout = 0;
  http.requestTimeout = 0;
  const door = await NetworkDoor.open(
    config,
    shared,
    ({ rig, write, onFrame }) => new FlrigSession({ rig, write, onFrame }),
    logger,
    FLRIG_FIRST_REPLY_WAIT_MS,
    (socket, address) => {
      const port = new HttpExchangePort(socket, address, NOT_READ_IN_TIME);
      ports.set(socket, port);
      http.emit('connection', socket);
      return port;
    },
  );
  return door;
}
