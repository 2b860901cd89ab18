import type { FastifyInstance } from 'fastify';
import { hamlibPortType, type Profile } from '../../rigs/profiles.js';
import type { Gateway } from '../gateway.js';
import {
  backendSchema,
  errorSchema,
  healthSchema,
  portNameParams,
  portSchema,
  profileSchema,
  pttBody,
  pttReply,
  serverSchema,
} from './schemas.js';
import { backendView, findPort, portView, round3, serverView } from './views.js';

export interface ApiOptions {
  gateway: Gateway;
  profiles: Profile[];
  version: string;
  authRequired: boolean;
}

/** How long the emergency PTT release waits for the backend's confirmation before answering. */
const RELEASE_WAIT_MS = 3000;

/** REST routes under /api (README "HTTP API"). Access rules are the server's hooks (server.ts). */
export async function apiPlugin(app: FastifyInstance, options: ApiOptions): Promise<void> {
  const { gateway } = options;
  const startedAt = Date.now();
  const notFound = (what: string, name: string) => ({ error: 'not found', message: `no ${what} "${name}"` });

  app.get('/api/health', { schema: { response: { 200: healthSchema } } }, async () => {
    const backends = [...gateway.rigs].map(([name, rig]) => {
      const status = rig.status();
      return {
        name,
        connected: status.connected,
        lastError: status.lastError,
        roundTripMs: status.lastReadMs === null ? null : round3(status.lastReadMs),
      };
    });
    return {
      status: backends.every((b) => b.connected) ? 'ok' : 'degraded',
      uptimeSeconds: Math.round((Date.now() - startedAt) / 100) / 10,
      pid: process.pid,
      node: process.version,
      version: options.version,
      authRequired: options.authRequired,
      backends,
      ports: gateway.ports.map((p) => ({ name: p.name, open: p.port.clientOpen })),
    };
  });

  app.get('/api/ports', { schema: { response: { 200: { type: 'array', items: portSchema } } } }, async () =>
    gateway.ports.map((p) => portView(gateway, p)),
  );

  app.get<{ Params: { name: string } }>(
    '/api/ports/:name',
    { schema: { params: portNameParams, response: { 200: portSchema, 404: errorSchema } } },
    async (request, reply) => {
      const session = findPort(gateway, request.params.name);
      if (!session) return reply.code(404).send(notFound('port', request.params.name));
      return portView(gateway, session);
    },
  );

  app.get(
    '/api/servers',
    { schema: { response: { 200: { type: 'array', items: serverSchema } } } },
    async () => gateway.servers.map((door) => serverView(gateway, door)),
  );

  app.get(
    '/api/backends',
    { schema: { response: { 200: { type: 'array', items: backendSchema } } } },
    async () => [...gateway.rigs].map(([name, rig]) => backendView(name, rig)),
  );

  app.get<{ Params: { name: string } }>(
    '/api/backends/:name',
    { schema: { params: portNameParams, response: { 200: backendSchema, 404: errorSchema } } },
    async (request, reply) => {
      const rig = gateway.rigs.get(request.params.name);
      if (!rig) return reply.code(404).send(notFound('backend', request.params.name));
      return backendView(request.params.name, rig);
    },
  );

  const profiles = options.profiles.map((p) => ({
    name: p.key,
    model: p.name,
    family: p.family,
    hamlib: { model: p.hamlib.model, name: p.hamlib.name, port: hamlibPortType(p) },
  }));
  app.get(
    '/api/profiles',
    { schema: { response: { 200: { type: 'array', items: profileSchema } } } },
    async () => profiles,
  );

  // Emergency release: unkeys the radio behind the port whoever holds PTT. Keying is not offered here:
  // transmitting stays the business of the programs on the ports.
  app.post<{ Params: { name: string }; Body: { ptt: false } }>(
    '/api/ports/:name/ptt',
    {
      schema: {
        params: portNameParams,
        body: pttBody,
        response: { 200: pttReply, 404: errorSchema, 504: pttReply },
      },
    },
    async (request, reply) => {
      const session = findPort(gateway, request.params.name);
      if (!session) return reply.code(404).send(notFound('port', request.params.name));
      const backend = gateway.config.ports.find((p) => p.name === session.name)!.backend;
      const rig = gateway.rigs.get(backend)!;
      let timer: NodeJS.Timeout | undefined;
      const confirmed = await Promise.race([
        rig.releasePtt(`emergency release over HTTP (port ${session.name})`),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), RELEASE_WAIT_MS);
        }),
      ]);
      clearTimeout(timer);
      return reply
        .code(confirmed ? 200 : 504)
        .send({ port: session.name, backend, ptt: rig.radioState().ptt, confirmed });
    },
  );
}
