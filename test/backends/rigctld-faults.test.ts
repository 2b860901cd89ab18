/**
 * RigctldBackend when the server misbehaves: a real rigctld that dies and comes back, and a real
 * rigctld behind a fault-injecting TCP proxy that stops answering or answers garbage.
 */
import { once } from 'node:events';
import { createServer, connect as netConnect, type Server } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { BackendError } from '../../src/gateway/backends/backend.js';
import { RigctldBackend } from '../../src/gateway/backends/rigctld-backend.js';
import { FaultyProxy } from '../support/faulty-proxy.js';
import { until } from '../support/gateway-harness.js';
import { Rigctld } from '../support/rigctld.js';
import { describeWithTools } from '../support/tools.js';

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

/**
 * A real rigctld whose radio stops answering some reads: a line proxy that replaces rigctld's answer to
 * each command named in `timeouts` (by the long name its answer starts with) by that header and
 * `RPRT -5`, the form rigctld gives a refused read (`get_ptt:` / `RPRT -11`, probed on 4.5.4), with
 * Hamlib's ETIMEOUT — what rigctld answers when its radio does not reply.
 */
class TimeoutProxy {
  timeouts = new Set<string>();
  /** Commands answered with their header and `RPRT <code>` instead (e.g. -11: a server that lacks one). */
  refused = new Map<string, number>();
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: number): Promise<TimeoutProxy> {
    let proxy: TimeoutProxy | undefined;
    const server = createServer((client) => {
      const upstream = netConnect(target, '127.0.0.1');
      client.on('data', (d) => upstream.write(d));
      let partial = '';
      let swallowing = false;
      upstream.on('data', (d) => {
        const lines = (partial + d.toString('latin1')).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          const name = /^([a-z_]+):/.exec(line)?.[1];
          const code = name && (proxy!.timeouts.has(name) ? -5 : proxy!.refused.get(name));
          if (!swallowing && code) {
            swallowing = true;
            client.write(`${line}\nRPRT ${code}\n`);
          } else if (swallowing) {
            if (line.startsWith('RPRT ')) swallowing = false;
          } else client.write(`${line}\n`);
        }
      });
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', end).on('error', end);
      upstream.on('close', end).on('error', end);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    proxy = new TimeoutProxy(server, (server.address() as { port: number }).port);
    return proxy;
  }

  close(): Promise<void> {
    this.server.close();
    return Promise.resolve();
  }
}

describeWithTools(['rigctld'], 'RigctldBackend when rigctld cannot reach its radio (RPRT -5)', () => {
  let rigctld: Rigctld;
  let proxy: TimeoutProxy;
  let backend: RigctldBackend;
  beforeEach(async () => {
    rigctld = await Rigctld.start();
    proxy = await TimeoutProxy.start(rigctld.port);
    backend = new RigctldBackend({ host: '127.0.0.1', port: proxy.port });
    await backend.connect();
    return async () => {
      await backend.close();
      await proxy.close();
      await rigctld.kill();
    };
  });

  // get_vfo and get_vfo_info were already fatal; get_ptt, get_split_vfo and get_level were tolerated
  // like "cannot report" (-11), which kept the last PTT state as if freshly read. get_vfo_info and
  // get_split_vfo are asked only of a server without \get_rig_info (refused here with -11, as a
  // server that lacks a command answers).
  const cases: [string, boolean][] = [
    ['get_vfo', false],
    ['get_rig_info', false],
    ['get_ptt', false],
    ['get_level', false],
    ['get_vfo_info', true],
    ['get_split_vfo', true],
  ];
  for (const [name, withoutRigInfo] of cases) {
    const how = withoutRigInfo ? ' (server without \\get_rig_info)' : '';
    it(`RPRT -5 to ${name} fails the whole read, with the code, and keeps the link${how}`, async () => {
      if (withoutRigInfo) proxy.refused.set('get_rig_info', -11);
      expect((await backend.read()).freqA).toBeGreaterThan(0);
      proxy.timeouts.add(name);
      const err = await backend.read().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BackendError);
      expect((err as BackendError).code).toBe(-5);
      expect(backend.connected).toBe(true); // an answer in step, not a broken stream
      proxy.timeouts.clear();
      expect((await backend.read()).freqA).toBeGreaterThan(0);
    });
  }
});
