/**
 * The network doors in the HTTP layer (issue 14): REST (`/api/servers`, a port's `tcp`), the websocket
 * (`servers` in hello, `netclient` events, the doors' traffic in the trace), /metrics, and the dashboard
 * in real headless Chromium — network clients beside ports with their remote address, a first paint
 * from REST before (and without) the websocket, and counts that read properly ("1 error").
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TcpCatPort } from '../../src/gateway/servers/tcp-cat-port.js';
import { artifactPath, launchChromium } from '../http/browser.js';
import { HttpStack } from '../http/stack.js';
import { EventsClient } from '../http/ws-client.js';
import { until } from '../support/gateway-harness.js';
import { describeWithTools } from '../support/tools.js';
import { RawClient } from './raw-client.js';

interface ServerBody {
  name: string;
  type: string;
  listen: string;
  backend: string;
  clients: {
    name: string;
    remote: string;
    transmitting: boolean;
    stats: { commands: number; errors: number };
  }[];
}

describeWithTools(['chromium'], 'network doors over HTTP', () => {
  let stack: HttpStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await HttpStack.start(
      { shack: { type: 'sim' } },
      [{ name: 'ft8', rig: 'ts2000', backend: 'shack', extra: { tcp: '127.0.0.1:0' } }],
      undefined,
      { hamlib: { type: 'rigctld', listen: '127.0.0.1:0', backend: 'shack' } },
    );
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  const doorPort = () => stack.harness.gateway.servers[0]!.port;

  it('REST lists servers with their clients and remote addresses, and a port its TCP door', async () => {
    const raw = await RawClient.open(doorPort());
    try {
      expect(await raw.ask('T 1')).toBe('RPRT 0\n');
      await raw.ask('f');
      const { body } = await stack.json('/api/servers');
      const [server] = body as ServerBody[];
      expect(server).toMatchObject({
        name: 'hamlib',
        type: 'rigctld',
        listen: `127.0.0.1:${doorPort()}`,
        backend: 'shack',
      });
      expect(server!.clients).toEqual([
        expect.objectContaining({
          name: 'hamlib#1',
          remote: `127.0.0.1:${raw.socket.localPort}`,
          transmitting: true,
          stats: expect.objectContaining({ commands: 2, errors: 0 }),
        }),
      ]);
      expect(await raw.ask('T 0')).toBe('RPRT 0\n');
      const port = (await stack.json('/api/ports/ft8')).body as {
        tcp: { listen: string; remote: string | null };
      };
      const tcp = stack.harness.gateway.tcpDoors[0]!.port as TcpCatPort;
      expect(port.tcp).toEqual(
        expect.objectContaining({ listen: `tcp://127.0.0.1:${tcp.tcpPort}`, remote: null }),
      );
      const metrics = (await stack.json('/metrics')).body as string;
      expect(metrics).toMatch(/catbridge_network_clients\{server="hamlib",type="rigctld"\} 1/);
      expect(metrics).toMatch(/catbridge_port_client_open\{port="ft8 \(tcp\)"\} 0/);
    } finally {
      raw.close();
    }
    await until(
      async () => ((await stack.json('/api/servers')).body as ServerBody[])[0]!.clients.length === 0,
      2000,
    );
  });

  it('the websocket says hello with the servers, then netclient events and the client traffic in the trace', async () => {
    const events = await EventsClient.connect(stack.url);
    try {
      const hello = await events.waitFor((e) => e.type === 'hello');
      expect((hello.servers as ServerBody[]).map((s) => s.name)).toEqual(['hamlib']);
      const raw = await RawClient.open(doorPort());
      await raw.ask('F 7074000');
      const connected = await events.waitFor((e) => e.type === 'netclient' && e.connected === true);
      expect(connected).toMatchObject({
        server: 'hamlib',
        connected: true,
        client: { remote: `127.0.0.1:${raw.socket.localPort}` },
      });
      const frame = await events.waitFor((e) => e.type === 'frame' && String(e.port).startsWith('hamlib#'));
      expect(frame).toMatchObject({ port: expect.stringMatching(/^hamlib#\d+$/), kind: 'set' });
      raw.close();
      expect(await events.waitFor((e) => e.type === 'netclient' && e.connected === false)).toMatchObject({
        server: 'hamlib',
      });
    } finally {
      events.socket.close();
    }
  });

  it('dashboard: first paint from REST with no websocket, network clients beside ports, "1 error"', async () => {
    const raw = await RawClient.open(doorPort());
    await raw.ask('\\foo'); // one error on this client
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      // The websocket never answers: whatever the page shows comes from the REST API.
      await page.routeWebSocket(/\/api\/events$/, () => {});
      await page.goto(stack.url);
      await page.locator('.card[data-port="ft8"]').waitFor({ timeout: 5000 });
      await expect(page.locator('#connection').textContent()).resolves.toBe('connecting…');
      await expect(page.locator('.card[data-port="ft8"] .link').textContent()).resolves.toContain(
        'also on tcp://127.0.0.1:',
      );
      const row = page.locator('#servers tr[data-server="hamlib"]');
      await expect(row.textContent()).resolves.toContain(`127.0.0.1:${raw.socket.localPort}`);
      await expect(row.textContent()).resolves.toContain('1 command · 0 unknown · 1 error');
      await expect(page.locator('.card[data-port="ft8"] .stats').textContent()).resolves.toBe(
        '0 commands · 0 unknown · 0 errors',
      );
      await page.screenshot({ path: artifactPath('dashboard-doors-first-paint.png') });
    } finally {
      await page.close();
      raw.close();
    }
  });
});
