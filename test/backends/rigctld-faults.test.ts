/**
 * RigctldBackend when the server misbehaves: a real rigctld that dies and comes back, and a real
 * rigctld behind a fault-injecting TCP proxy that stops answering or answers garbage.
 */
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { BackendError } from '../../src/gateway/backends/backend.js';
import { RigctldBackend } from '../../src/gateway/backends/rigctld-backend.js';
import { until } from '../support/gateway-harness.js';
import { Rigctld } from '../support/rigctld.js';
import { describeWithTools } from '../support/tools.js';

/** Forwards to rigctld; `mode` decides what happens to rigctld's answers on every connection. */
class FaultyProxy {
  mode: 'pass' | 'silent' | 'garbage' = 'pass';
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number): Promise<FaultyProxy> {
    let proxy: FaultyProxy | undefined;
    const server = createServer((client) => {
      const upstream = netConnect(targetPort, '127.0.0.1');
      proxy!.sockets.add(client).add(upstream);
      client.on('data', (d) => upstream.write(d));
      upstream.on('data', (d) => {
        if (proxy!.mode === 'pass') client.write(d);
        else if (proxy!.mode === 'garbage') client.write('\u0000\u00ffgarbage: \u0007\nRPRT banana\n\n\n');
      });
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    proxy = new FaultyProxy(server, typeof address === 'object' && address ? address.port : 0);
    return proxy;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describeWithTools(['rigctld'], 'RigctldBackend faults', () => {
  let rigctld: Rigctld;
  let backend: RigctldBackend | undefined;
  let proxy: FaultyProxy | undefined;
  const events: string[] = [];

  beforeEach(async () => {
    rigctld = await Rigctld.start();
    events.length = 0;
  });
  afterEach(async () => {
    await backend?.close();
    await proxy?.close();
    await rigctld.kill();
    backend = undefined;
    proxy = undefined;
  });

  const open = async (port: number) => {
    backend = new RigctldBackend({ host: '127.0.0.1', port, requestTimeoutMs: 300, backoffMaxMs: 1000 });
    backend.on('connected', () => events.push('connected'));
    backend.on('disconnected', () => events.push('disconnected'));
    await backend.connect();
    return backend;
  };

  it('rigctld dies: disconnected, calls fail fast; it comes back: reconnected and readable', async () => {
    const b = await open(rigctld.port);
    expect((await b.read()).freqA).toBeGreaterThan(0);
    await rigctld.kill();
    await until(() => !b.connected, 2000, 'disconnected');
    expect(events).toContain('disconnected');
    const started = Date.now();
    await expect(b.read()).rejects.toBeInstanceOf(BackendError);
    expect(Date.now() - started).toBeLessThan(200);
    await rigctld.spawn();
    await until(() => b.connected, 5000, 'reconnected');
    await b.setFreq('VFOA', 3_573_000);
    expect((await b.read()).freqA).toBe(3_573_000);
    expect(events.filter((e) => e === 'connected').length).toBeGreaterThanOrEqual(2);
  });

  it('a server that stops answering times the request out, then the link is rebuilt', async () => {
    proxy = await FaultyProxy.start(rigctld.port);
    const b = await open(proxy.port);
    proxy.mode = 'silent';
    const started = Date.now();
    await expect(b.read()).rejects.toBeInstanceOf(BackendError);
    expect(Date.now() - started).toBeLessThan(1500);
    proxy.mode = 'pass';
    await until(() => b.connected && events.includes('disconnected'), 5000, 'rebuilt');
    expect((await b.read()).freqA).toBeGreaterThan(0);
  });

  it('garbage answers are rejected as BackendErrors, never a crash, and the link recovers', async () => {
    proxy = await FaultyProxy.start(rigctld.port);
    const b = await open(proxy.port);
    proxy.mode = 'garbage';
    await expect(b.read()).rejects.toBeInstanceOf(BackendError);
    await expect(b.setFreq('VFOA', 7_000_000)).rejects.toBeInstanceOf(BackendError);
    proxy.mode = 'pass';
    await until(
      async () => {
        try {
          return (await b.read()).freqA > 0;
        } catch {
          return false;
        }
      },
      5000,
      'readable again',
    );
  });
});
