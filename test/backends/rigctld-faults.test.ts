/**
 * RigctldBackend when the server misbehaves: a real rigctld that dies and comes back, and a real
 * rigctld behind a fault-injecting TCP proxy that stops answering or answers garbage.
 */
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
