import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { Logger } from 'pino';
import { listProfiles } from '../../rigs/profiles.js';
import { packageVersion } from '../../util/package-root.js';
import type { Gateway } from '../gateway.js';
import { isLoopbackHost, parseListenAddress } from '../net/address.js';
import { apiPlugin } from './api.js';
import { bearerToken, hostAllowed, isCrossOrigin, tokenMatches } from './auth.js';
import { dashboardPlugin } from './dashboard.js';
import { EventHub } from './event-hub.js';
import { eventsPlugin } from './events.js';
import { GatewayMetrics, metricsPlugin } from './metrics.js';

export interface HttpOptions {
  /** `host:port`; port 0 picks a free port (tests). */
  listen: string;
  /** When set, every route but /api/health, the dashboard shell and the websocket needs it as a Bearer token. */
  token?: string | undefined;
}

/** Request bodies are tiny (`{"ptt":false}`): anything larger is refused before it is read. */
export const BODY_LIMIT_BYTES = 1024;

/** Routes anyone may read: the health check and the dashboard's static shell (it holds no data). */
const PUBLIC_ROUTES = new Set(['/', '/dashboard.css', '/dashboard.js', '/api/health']);
/** The websocket authenticates itself (a browser cannot send an Authorization header on an upgrade). */
const SELF_AUTHENTICATED_ROUTES = new Set(['/api/events']);

/**
 * The gateway's HTTP server (DESIGN.md "http/"): REST under /api, the event websocket, the dashboard and
 * /metrics, as fastify plugins. It only reads the gateway's objects and listens to their events; it never
 * sits between a port and its replies.
 */
export class HttpServer {
  private constructor(
    readonly app: FastifyInstance,
    /** The fan-out of /api/events. */
    readonly hub: EventHub,
    /** Where it listens, e.g. `http://127.0.0.1:4580`. */
    readonly url: string,
    readonly port: number,
  ) {}

  static async start(gateway: Gateway, options: HttpOptions, logger: Logger): Promise<HttpServer> {
    const { host, port } = parseListenAddress(options.listen);
    if (!isLoopbackHost(host) && !options.token) {
      // config.ts refuses this already; the server refuses it too, whoever builds it.
      throw new Error(`refusing to listen on ${options.listen} without a token (http.token)`);
    }
    const app = Fastify({
      loggerInstance: logger.child({ component: 'http' }) as FastifyBaseLogger,
      // A request log line per dashboard poll would drown the gateway's own log.
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: BODY_LIMIT_BYTES,
      // Unknown body keys are an error, not silently dropped (fastify's default strips them); and a
      // value must be the JSON type its schema says, not coerced to it (fastify's default turns "false",
      // 0, null and [false] into false — a PTT release nobody meant).
      ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
      forceCloseConnections: true,
      return503OnClosing: true,
    });
    // JSON only: a text/plain body is what a cross-site form can send without a preflight.
    app.removeContentTypeParser('text/plain');
    installAccessRules(app, options, isLoopbackHost(host));
    const version = packageVersion();
    const hub = new EventHub(gateway);
    await app.register(apiPlugin, {
      gateway,
      profiles: listProfiles(),
      version,
      authRequired: options.token !== undefined,
    });
    await app.register(eventsPlugin, { gateway, hub, token: options.token, version });
    await app.register(dashboardPlugin);
    const metrics = new GatewayMetrics(gateway, hub);
    await app.register(metricsPlugin, { metrics });
    app.addHook('preClose', async () => {
      hub.close();
      metrics.close();
    });
    try {
      await app.listen({ host, port });
    } catch (err) {
      await app.close(); // detaches the metrics from the gateway, which may live on
      throw err;
    }
    const address = app.server.address();
    const boundPort = typeof address === 'object' && address ? address.port : port;
    const urlHost = host.includes(':') ? `[${host}]` : host;
    return new HttpServer(app, hub, `http://${urlHost}:${boundPort}`, boundPort);
  }

  /** Closes every connection, websockets included, at once. */
  async close(): Promise<void> {
    await this.app.close();
  }
}

function refuse(reply: FastifyReply, code: number, error: string, message: string): FastifyReply {
  return reply.code(code).send({ error, message });
}

/** The security rules of issue 6, applied to every request before routing reaches a handler. */
function installAccessRules(app: FastifyInstance, options: HttpOptions, loopback: boolean): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (loopback && !hostAllowed(request.headers)) {
      return refuse(reply, 403, 'forbidden', 'this server answers only to a loopback host name');
    }
    const route = request.routeOptions.url;
    const writes = request.method !== 'GET' && request.method !== 'HEAD';
    if ((writes || route === '/api/events') && isCrossOrigin(request.headers)) {
      return refuse(reply, 403, 'forbidden', 'cross-origin requests are refused');
    }
    if (!options.token || route === undefined) return;
    if (PUBLIC_ROUTES.has(route) || SELF_AUTHENTICATED_ROUTES.has(route)) return;
    if (!tokenMatches(bearerToken(request.headers), options.token)) {
      reply.header('www-authenticate', 'Bearer realm="catbridge"');
      return refuse(reply, 401, 'unauthorized', 'a valid "Authorization: Bearer <http.token>" is required');
    }
  });
  // An upgrade refused above never reaches the websocket plugin, which would end its socket; an
  // upgrade socket is not the HTTP server's either, so nobody else would ever close it.
  app.addHook('onResponse', async (request, reply) => {
    if (request.headers.upgrade && reply.statusCode !== 101) request.raw.socket.end();
  });
}
