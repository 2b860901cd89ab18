import { request as httpRequest } from 'node:http';
import { pino } from 'pino';
import { HttpServer } from '../../src/gateway/http/server.js';
import { GatewayHarness, type HarnessPort } from '../support/gateway-harness.js';

/** A real gateway (real ptys) with its HTTP server on a free loopback port. */
export class HttpStack {
  private constructor(
    readonly harness: GatewayHarness,
    readonly http: HttpServer,
  ) {}

  static async start(
    backends: Parameters<typeof GatewayHarness.start>[0],
    ports: HarnessPort[],
    token?: string,
    servers: Parameters<typeof GatewayHarness.start>[2] = {},
  ): Promise<HttpStack> {
    const harness = await GatewayHarness.start(backends, ports, servers);
    try {
      const logger = pino({ level: process.env.CATBRIDGE_TEST_LOG ?? 'silent' });
      const http = await HttpServer.start(harness.gateway, { listen: '127.0.0.1:0', token }, logger);
      return new HttpStack(harness, http);
    } catch (err) {
      await harness.stop();
      throw err;
    }
  }

  get url(): string {
    return this.http.url;
  }

  /** GET/POST over real HTTP with fetch; JSON in and out. */
  async json(
    path: string,
    init: { method?: string; body?: unknown; token?: string } = {},
  ): Promise<{ status: number; body: unknown; headers: Headers }> {
    const headers: Record<string, string> = {};
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.url}${path}`, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON (the metrics text, the dashboard)
    }
    return { status: response.status, body, headers: response.headers };
  }

  async stop(): Promise<void> {
    await this.http.close();
    await this.harness.stop();
  }
}

/**
 * A raw node:http request, for what fetch will not send: a foreign Host header, an Origin of our choice.
 */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
