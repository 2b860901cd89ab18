/**
 * System: /metrics in Prometheus text format, over real HTTP, after a real Hamlib `rigctl` drove a
 * port on the built-in simulated radio.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { until } from '../support/gateway-harness.js';
import { RigctlSession } from '../support/rigctl-session.js';
import { describeWithTools } from '../support/tools.js';
import { HttpStack } from './stack.js';
import { EventsClient } from './ws-client.js';

/** The value of one sample (`name{a="x",b="y"}`), or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',').filter(Boolean);
    if (want.every((w) => have.includes(w)) && have.length === want.length) return Number(match[3]);
  }
  return undefined;
}

describeWithTools(['rigctl', 'stdbuf'], 'Prometheus metrics', () => {
  let stack: HttpStack;
  let client: RigctlSession;

  beforeAll(async () => {
    stack = await HttpStack.start({ sim: { type: 'sim' } }, [
      { name: 'ft8', rig: 'ts2000', backend: 'sim' },
      { name: 'spare', rig: 'ts590sg', backend: 'sim' },
    ]);
    client = await RigctlSession.open(2014, stack.harness.links.ft8!, ['-C', 'cache_timeout=0']);
  });

  afterAll(async () => {
    await client?.close();
    await stack?.stop();
  });

  const scrape = async () => {
    const { status, body, headers } = await stack.json('/metrics');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return body as string;
  };

  it('counts commands by port and result, and times the port round trip', async () => {
    // Not the simulator's start frequency (14.074 MHz): Hamlib skips a set to the frequency it just read.
    expect((await client.cmd('F 7074000')).ok).toBe(true);
    for (let i = 0; i < 20; i++) await client.cmd('f');
    const text = await scrape();
    expect(
      sample(text, 'catbridge_port_commands_total', { port: 'ft8', result: 'set' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'catbridge_port_commands_total', { port: 'ft8', result: 'query' }),
    ).toBeGreaterThanOrEqual(20);
    expect(sample(text, 'catbridge_port_commands_total', { port: 'spare', result: 'query' })).toBeUndefined();
    const count = sample(text, 'catbridge_port_round_trip_seconds_count', { port: 'ft8' })!;
    const sum = sample(text, 'catbridge_port_round_trip_seconds_sum', { port: 'ft8' })!;
    expect(count).toBeGreaterThanOrEqual(20);
    // Replies come from the cache: well under a millisecond each on average, never tens of ms.
    expect(sum / count).toBeLessThan(0.01);
    expect(sample(text, 'catbridge_port_client_open', { port: 'ft8' })).toBe(1);
    expect(sample(text, 'catbridge_port_client_open', { port: 'spare' })).toBe(0);
  });

  it('counts backend requests and times them; connected and reconnects per backend', async () => {
    await until(
      async () =>
        (sample(await scrape(), 'catbridge_backend_requests_total', {
          backend: 'sim',
          kind: 'write',
          result: 'ok',
        }) ?? 0) >= 1,
      2000,
      'the write',
    );
    const text = await scrape();
    expect(
      sample(text, 'catbridge_backend_requests_total', { backend: 'sim', kind: 'read', result: 'ok' }),
    ).toBeGreaterThan(0);
    expect(
      sample(text, 'catbridge_backend_round_trip_seconds_count', { backend: 'sim', kind: 'write' }),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'catbridge_backend_connected', { backend: 'sim' })).toBe(1);
    expect(sample(text, 'catbridge_backend_reconnects_total', { backend: 'sim' })).toBe(0);
  });

  it('accumulates PTT time, while keyed and after', async () => {
    const before = sample(await scrape(), 'catbridge_ptt_seconds_total', { backend: 'sim' })!;
    expect((await client.cmd('T 1')).ok).toBe(true);
    await until(async () => sample(await scrape(), 'catbridge_ptt', { backend: 'sim' }) === 1, 2000, 'keyed');
    await new Promise((resolve) => setTimeout(resolve, 400));
    const whileKeyed = sample(await scrape(), 'catbridge_ptt_seconds_total', { backend: 'sim' })!;
    expect(whileKeyed - before).toBeGreaterThan(0.3);
    expect((await client.cmd('T 0')).ok).toBe(true);
    await until(
      async () => sample(await scrape(), 'catbridge_ptt', { backend: 'sim' }) === 0,
      2000,
      'unkeyed',
    );
    const after = sample(await scrape(), 'catbridge_ptt_seconds_total', { backend: 'sim' })!;
    expect(after - before).toBeGreaterThan(0.4);
    expect(after - before).toBeLessThan(5);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Unkeyed: the counter stands still.
    expect(sample(await scrape(), 'catbridge_ptt_seconds_total', { backend: 'sim' })).toBe(after);
  });

  it('shows websocket clients and the process', async () => {
    const events = await EventsClient.connect(stack.url);
    try {
      await events.waitFor((e) => e.type === 'hello');
      const text = await scrape();
      expect(sample(text, 'catbridge_events_clients')).toBe(1);
      expect(sample(text, 'catbridge_events_dropped_total')).toBe(0);
      expect(sample(text, 'catbridge_process_resident_memory_bytes')).toBeGreaterThan(1e6);
    } finally {
      events.close();
    }
  });
});
