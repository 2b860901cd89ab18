/**
 * System: the HTTP access rules over real HTTP (issue 6 "Security"): the token, the loopback listener,
 * cross-origin writes, body size caps, and the config rule for non-loopback listeners.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/gateway/config.js';
import { tokenProtocol } from '../../src/gateway/http/auth.js';
import { HttpServer } from '../../src/gateway/http/server.js';
import { ConfigError } from '../../src/util/yaml-source.js';
import { HttpStack, rawRequest } from './stack.js';
import { EventsClient } from './ws-client.js';

const TOKEN = 'correct-horse-battery';

describe('HTTP with a token configured', () => {
  let stack: HttpStack;
  beforeAll(async () => {
    stack = await HttpStack.start(
      { sim: { type: 'sim' } },
      [{ name: 'ft8', rig: 'ts2000', backend: 'sim' }],
      TOKEN,
    );
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses every API route without the token, with a wrong one, or with another scheme', async () => {
    for (const path of [
      '/api/ports',
      '/api/ports/ft8',
      '/api/backends',
      '/api/backends/sim',
      '/api/profiles',
    ]) {
      const bare = await stack.json(path);
      expect(bare.status, path).toBe(401);
      expect(bare.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(bare.body).toMatchObject({ error: 'unauthorized' });
      expect(JSON.stringify(bare.body)).not.toContain('ts2000');
      expect((await stack.json(path, { token: `${TOKEN}x` })).status, path).toBe(401);
      const basic = await rawRequest(`${stack.url}${path}`, { headers: { authorization: `Basic ${TOKEN}` } });
      expect(basic.status, path).toBe(401);
      expect((await stack.json(path, { token: TOKEN })).status, path).toBe(200);
    }
  });

  it('an unauthenticated emergency release is refused before it reaches the radio', async () => {
    const refused = await stack.json('/api/ports/ft8/ptt', { method: 'POST', body: { ptt: false } });
    expect(refused.status).toBe(401);
    const accepted = await stack.json('/api/ports/ft8/ptt', {
      method: 'POST',
      body: { ptt: false },
      token: TOKEN,
    });
    expect(accepted.status).toBe(200);
  });

  it('websocket: no credentials or a wrong token in the first message closes it unheard (4401)', async () => {
    const silent = await EventsClient.connect(stack.url);
    silent.send({ type: 'subscribe', ports: null });
    expect(await silent.closed()).toBe(4401);
    const wrong = await EventsClient.connect(stack.url);
    wrong.send({ type: 'auth', token: 'not-the-token' });
    expect(await wrong.closed()).toBe(4401);
    expect([...silent.events, ...wrong.events]).toEqual([]);
  });

  it('websocket: the token in the first message, a subprotocol or a header lets the client in', async () => {
    const byMessage = await EventsClient.connect(stack.url);
    byMessage.send({ type: 'auth', token: TOKEN });
    const byProtocol = await EventsClient.connect(stack.url, {
      protocols: ['catbridge.v1', tokenProtocol(TOKEN)],
    });
    const byHeader = await EventsClient.connect(stack.url, { headers: { authorization: `Bearer ${TOKEN}` } });
    try {
      for (const client of [byMessage, byProtocol, byHeader]) {
        const hello = await client.waitFor((e) => e.type === 'hello');
        expect((hello.ports as { name: string }[])[0]!.name).toBe('ft8');
      }
      // The selected protocol is ours, never the one carrying the token.
      expect(byProtocol.socket.protocol).toBe('catbridge.v1');
    } finally {
      for (const client of [byMessage, byProtocol, byHeader]) client.close();
    }
  });

  it('websocket: an upgrade from a page of another origin is refused, one from the dashboard is not', async () => {
    await expect(
      EventsClient.connect(stack.url, {
        origin: 'http://evil.example',
        protocols: ['catbridge.v1', tokenProtocol(TOKEN)],
      }),
    ).rejects.toThrow(/upgrade refused: 403/);
    const own = await EventsClient.connect(stack.url, {
      origin: stack.url,
      protocols: ['catbridge.v1', tokenProtocol(TOKEN)],
    });
    await own.waitFor((e) => e.type === 'hello');
    own.close();
  });

  it('health and the dashboard shell stay public; metrics need the token', async () => {
    const health = await stack.json('/api/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ authRequired: true });
    for (const path of ['/', '/dashboard.js', '/dashboard.css']) {
      const file = await stack.json(path);
      expect(file.status, path).toBe(200);
      expect(file.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
    expect((await stack.json('/metrics')).status).toBe(401);
    const metrics = await stack.json('/metrics', { token: TOKEN });
    expect(metrics.status).toBe(200);
    expect(metrics.body as string).toContain('catbridge_port_commands_total');
  });
});

describe('HTTP on a loopback listener without a token', () => {
  let stack: HttpStack;
  beforeAll(async () => {
    stack = await HttpStack.start({ sim: { type: 'sim' } }, [{ name: 'ft8', rig: 'ts2000', backend: 'sim' }]);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers without a token', async () => {
    expect((await stack.json('/api/ports')).status).toBe(200);
    const client = await EventsClient.connect(stack.url);
    await client.waitFor((e) => e.type === 'hello');
    client.close();
  });

  it('refuses a cross-origin websocket upgrade even without a token', async () => {
    await expect(EventsClient.connect(stack.url, { origin: 'http://evil.example' })).rejects.toThrow(
      /upgrade refused: 403/,
    );
  });

  it('refuses a foreign Host name (a DNS-rebinding page), accepts localhost', async () => {
    const rebound = await rawRequest(`${stack.url}/api/ports`, {
      headers: { host: `evil.example:${stack.http.port}` },
    });
    expect(rebound.status).toBe(403);
    const local = await rawRequest(`${stack.url}/api/ports`, {
      headers: { host: `localhost:${stack.http.port}` },
    });
    expect(local.status).toBe(200);
  });

  it('refuses a write from a page of another origin, accepts one from its own', async () => {
    const body = '{"ptt":false}';
    const headers = { 'content-type': 'application/json' };
    const foreign = await rawRequest(`${stack.url}/api/ports/ft8/ptt`, {
      method: 'POST',
      headers: { ...headers, origin: 'http://evil.example' },
      body,
    });
    expect(foreign.status).toBe(403);
    const own = await rawRequest(`${stack.url}/api/ports/ft8/ptt`, {
      method: 'POST',
      headers: { ...headers, origin: stack.url },
      body,
    });
    expect(own.status).toBe(200);
  });

  it('caps request bodies and refuses bodies that are not JSON', async () => {
    const big = await rawRequest(`${stack.url}/api/ports/ft8/ptt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ptt: false, pad: 'x'.repeat(4096) }),
    });
    expect(big.status).toBe(413);
    const text = await rawRequest(`${stack.url}/api/ports/ft8/ptt`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'ptt=false',
    });
    expect(text.status).toBe(415);
    const extra = await stack.json('/api/ports/ft8/ptt', { method: 'POST', body: { ptt: false, also: 1 } });
    expect(extra.status).toBe(400);
  });
});

describe('listen rules', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'catbridge-http-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function config(http: string): string {
    const file = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(
      file,
      `${http}backends:\n  sim:\n    type: sim\nports:\n  ft8:\n    rig: ts2000\n    backend: sim\n    link: ${dir}/ft8\n`,
    );
    return file;
  }

  it('the default listener is loopback', () => {
    expect(loadConfig(config('')).http.listen).toBe('127.0.0.1:4580');
  });

  it('a non-loopback listen without a token is a config error naming the key', () => {
    const file = config('http:\n  listen: 0.0.0.0:4580\n');
    expect(() => loadConfig(file)).toThrow(ConfigError);
    expect(() => loadConfig(file)).toThrow(/:2:\d+: http\.listen: a token is required/);
    expect(loadConfig(config(`http:\n  listen: 0.0.0.0:4580\n  token: ${TOKEN}\n`)).http.token).toBe(TOKEN);
    expect(loadConfig(config('http:\n  listen: "[::1]:4580"\n')).http.listen).toBe('[::1]:4580');
  });

  it('the server itself refuses a non-loopback listener without a token', async () => {
    const logger = pino({ level: 'silent' });
    // Never reached: the refusal comes before anything touches the gateway.
    const gateway = {} as never;
    await expect(HttpServer.start(gateway, { listen: '0.0.0.0:0' }, logger)).rejects.toThrow(
      /without a token/,
    );
  });
});
