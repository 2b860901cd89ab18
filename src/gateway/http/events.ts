import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { Gateway } from '../gateway.js';
import { bearerToken, EVENTS_PROTOCOL, protocolToken, tokenMatches } from './auth.js';
import { EventClient } from './event-client.js';
import type { EventHub } from './event-hub.js';
import { backendView, portView, serverView } from './views.js';

export interface EventsOptions {
  gateway: Gateway;
  hub: EventHub;
  token: string | undefined;
  version: string;
}

/** Client messages are tiny (`{"type":"subscribe","ports":["ft8"]}`). */
const MAX_MESSAGE_BYTES = 4096;
/** A client that must authenticate by message gets this long to do it. */
const AUTH_TIMEOUT_MS = 5000;

/** Close codes (4000–4999 are the application's): the HTTP status they stand for, plus 4000. */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_BAD_MESSAGE = 4400;

/**
 * GET /api/events (README "Websocket events"). Authentication without custom headers, for browsers:
 * the token in a subprotocol (`catbridge.token.<base64url>`, offered beside `catbridge.v1`) or in the
 * first message (`{"type":"auth","token":…}`); an Authorization header works too. Cross-origin
 * upgrades are refused by the server's access rules before this handler runs.
 */
export async function eventsPlugin(app: FastifyInstance, options: EventsOptions): Promise<void> {
  await app.register(websocket, {
    options: {
      maxPayload: MAX_MESSAGE_BYTES,
      // Select our protocol when offered; never echo the token protocol back.
      handleProtocols: (offered: Set<string>) => (offered.has(EVENTS_PROTOCOL) ? EVENTS_PROTOCOL : false),
    },
  });

  app.get('/api/events', { websocket: true }, (socket: WebSocket, request: FastifyRequest) => {
    const client = new EventClient(socket);
    const { token, hub, gateway } = options;
    let authenticated =
      token === undefined ||
      tokenMatches(bearerToken(request.headers), token) ||
      tokenMatches(protocolToken(request.headers), token);
    let authTimer: NodeJS.Timeout | undefined;

    const start = () => {
      authenticated = true;
      clearTimeout(authTimer);
      hub.add(client);
      client.sendNow({
        type: 'hello',
        version: options.version,
        ports: gateway.ports.map((p) => portView(gateway, p)),
        backends: [...gateway.rigs].map(([name, rig]) => backendView(name, rig)),
        servers: gateway.servers.map((door) => serverView(gateway, door)),
        subscription: describe(client),
      });
    };

    socket.on('message', (data: RawData, isBinary: boolean) => {
      const message = parse(data, isBinary);
      if (!authenticated) {
        if (
          message?.type === 'auth' &&
          typeof message.token === 'string' &&
          tokenMatches(message.token, token!)
        ) {
          start();
        } else {
          client.close(CLOSE_UNAUTHORIZED, 'unauthorized');
        }
        return;
      }
      if (message?.type === 'subscribe') {
        const problem = subscribe(client, message, gateway);
        if (problem) client.sendNow({ type: 'error', message: problem });
        else client.sendNow({ type: 'subscribed', subscription: describe(client) });
        return;
      }
      if (message?.type === 'auth') return; // already in: a dashboard that always sends it is fine
      client.close(CLOSE_BAD_MESSAGE, 'expected {"type":"subscribe",…}');
    });
    socket.on('close', () => {
      clearTimeout(authTimer);
      hub.remove(client);
    });
    socket.on('error', () => {
      hub.remove(client);
    });

    if (authenticated) start();
    else {
      authTimer = setTimeout(() => client.close(CLOSE_UNAUTHORIZED, 'no credentials'), AUTH_TIMEOUT_MS);
      authTimer.unref();
    }
  });
}

function parse(data: RawData, isBinary: boolean): Record<string, unknown> | null {
  if (isBinary) return null;
  try {
    const value: unknown = JSON.parse(data.toString());
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Applies `{"type":"subscribe","ports":[…]|null,"trace":bool,"reads":bool}`; returns a problem or null. */
function subscribe(client: EventClient, message: Record<string, unknown>, gateway: Gateway): string | null {
  const { ports, trace, reads } = message;
  const known = new Set(gateway.ports.map((p) => p.name));
  let portSet: Set<string> | null = client.subscription.ports;
  if (ports === null) portSet = null;
  else if (ports !== undefined) {
    if (!Array.isArray(ports) || !ports.every((p) => typeof p === 'string'))
      return 'ports: a list of port names or null';
    const unknown = ports.filter((p) => !known.has(p));
    if (unknown.length > 0) return `unknown port(s): ${unknown.join(', ')}`;
    portSet = new Set(ports);
  }
  if (trace !== undefined && typeof trace !== 'boolean') return 'trace: true or false';
  if (reads !== undefined && typeof reads !== 'boolean') return 'reads: true or false';
  client.subscription = {
    ports: portSet,
    trace: trace ?? client.subscription.trace,
    reads: reads ?? client.subscription.reads,
  };
  return null;
}

function describe(client: EventClient): { ports: string[] | null; trace: boolean; reads: boolean } {
  const { ports, trace, reads } = client.subscription;
  return { ports: ports === null ? null : [...ports], trace, reads };
}
