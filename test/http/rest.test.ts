/**
 * System: the REST API over real HTTP on a free loopback port, while a real Hamlib `rigctl` drives a
 * port of the gateway against a real `rigctld -m 1` (Hamlib's dummy radio).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { until } from '../support/gateway-harness.js';
import { RigctlSession } from '../support/rigctl-session.js';
import { Rigctld, rigctlValue } from '../support/rigctld.js';
import { shippedProfileNames } from '../support/shipped-profiles.js';
import { describeWithTools } from '../support/tools.js';
import { HttpStack } from './stack.js';

interface PortBody {
  name: string;
  rig: string;
  link: string;
  path: string;
  backend: string;
  client: { open: boolean; baud: number; dataBits: number; parity: string; stopBits: number };
  state: {
    vfo: string;
    freqA: number;
    freqB: number;
    mode: string;
    passband: number;
    split: boolean;
    txVfo: string;
    ptt: boolean;
  };
  stats: { commands: number; unknownCommands: number; errors: number; lastCommandAt: string | null };
  tcp: { listen: string; remote: string | null } | null;
}

describeWithTools(['rigctl', 'rigctld', 'stdbuf'], 'REST API with a real rigctl on a port', () => {
  let rigctld: Rigctld;
  let stack: HttpStack;
  let client: RigctlSession;

  beforeAll(async () => {
    rigctld = await Rigctld.start();
    stack = await HttpStack.start({ shack: { type: 'rigctld', address: `127.0.0.1:${rigctld.port}` } }, [
      { name: 'ft8', rig: 'ts2000', backend: 'shack' },
      { name: 'logger', rig: 'ic7300', backend: 'shack' },
    ]);
    client = await RigctlSession.open(2014, stack.harness.links.ft8!);
  });

  afterAll(async () => {
    await client?.close();
    await stack?.stop();
    await rigctld?.kill();
  });

  it('a port object shows what the client did: frequency, mode, split, the client and its stats', async () => {
    expect((await client.cmd('F 7074000')).ok).toBe(true);
    expect((await client.cmd('M CW 500')).ok).toBe(true);
    expect((await client.cmd('S 1 VFOB')).ok).toBe(true);
    await until(async () => (await rigctlValue(rigctld.port, 'f', 'Frequency')) === '7074000', 2000, 'radio');

    const { status, body } = await stack.json('/api/ports/ft8');
    expect(status).toBe(200);
    const port = body as PortBody;
    // Exactly the documented keys, nothing more (the reply is serialised through its schema).
    expect(Object.keys(port).sort()).toEqual(
      ['backend', 'client', 'link', 'name', 'path', 'rig', 'state', 'stats', 'tcp'].sort(),
    );
    expect(Object.keys(port.state).sort()).toEqual(
      ['freqA', 'freqB', 'mode', 'passband', 'ptt', 'split', 'txVfo', 'vfo'].sort(),
    );
    expect(port.name).toBe('ft8');
    expect(port.rig).toBe('ts2000');
    expect(port.backend).toBe('shack');
    expect(port.link).toBe(stack.harness.links.ft8);
    expect(port.path).toMatch(/^\/dev\/pts\/\d+$/);
    expect(port.client.open).toBe(true);
    // rigctl opens a TS-2000 at Hamlib's serial_rate_max for the model, 57600 8N1 (pty: CS8, no parity).
    // The program holding the pty, as Linux tells (/proc/<pid>/fd): the real rigctl.
    expect(port.client).toEqual({
      open: true,
      baud: 57600,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      programs: [{ pid: expect.any(Number), command: 'rigctl' }],
      remote: null,
    });
    expect(port.tcp).toBeNull();
    await until(
      async () => {
        const s = ((await stack.json('/api/ports/ft8')).body as PortBody).state;
        return s.freqA === 7_074_000 && s.mode === 'CW' && s.split;
      },
      2000,
      'state reflects the client',
    );
    const after = ((await stack.json('/api/ports/ft8')).body as PortBody).state;
    expect(after).toMatchObject({ vfo: 'VFOA', freqA: 7_074_000, mode: 'CW', split: true, txVfo: 'VFOB' });
    expect(Number.isInteger(after.freqB)).toBe(true);
    expect(port.stats.commands).toBeGreaterThan(3);
    expect(port.stats.errors).toBe(0);
    expect(Date.parse(port.stats.lastCommandAt!)).toBeGreaterThan(Date.now() - 60_000);
    await client.cmd('S 0 VFOA');
  });

  it('lists every port; an unknown port is a 404', async () => {
    const { status, body } = await stack.json('/api/ports');
    expect(status).toBe(200);
    const ports = body as PortBody[];
    expect(ports.map((p) => [p.name, p.rig, p.client.open])).toEqual([
      ['ft8', 'ts2000', true],
      ['logger', 'ic7300', false],
    ]);
    // Both ports share the backend, so they show the same radio.
    expect(ports[1]!.state.freqA).toBe(ports[0]!.state.freqA);
    expect((await stack.json('/api/ports/nope')).status).toBe(404);
  });

  it('backends show type, address, health, latency and counts; health sums it up', async () => {
    const { status, body } = await stack.json('/api/backends');
    expect(status).toBe(200);
    const [shack] = body as {
      name: string;
      type: string;
      address: string;
      connected: boolean;
      latencyMs: number;
      requests: number;
      failures: number;
    }[];
    expect(shack).toMatchObject({
      name: 'shack',
      type: 'rigctld',
      address: `127.0.0.1:${rigctld.port}`,
      connected: true,
      failures: 0,
    });
    expect(shack!.requests).toBeGreaterThan(2);
    expect(shack!.latencyMs).toBeGreaterThan(0);
    expect((await stack.json('/api/backends/shack')).body).toMatchObject({ name: 'shack', type: 'rigctld' });
    expect((await stack.json('/api/backends/nope')).status).toBe(404);

    const health = (await stack.json('/api/health')).body as {
      status: string;
      backends: { name: string; connected: boolean }[];
      ports: { name: string; open: boolean }[];
    };
    expect(health.status).toBe('ok');
    expect(health.backends).toMatchObject([{ name: 'shack', connected: true, lastError: null }]);
    expect(health.ports).toEqual([
      { name: 'ft8', open: true },
      { name: 'logger', open: false },
    ]);
  });

  it('profiles name the Hamlib model a client should choose', async () => {
    const { body } = await stack.json('/api/profiles');
    const profiles = body as { name: string; model: string; family: string; hamlib: { model: number } }[];
    expect(profiles.find((p) => p.name === 'ts2000')).toEqual({
      name: 'ts2000',
      model: 'Kenwood TS-2000',
      family: 'kenwood',
      hamlib: { model: 2014, name: 'TS-2000', port: 'serial' },
    });
    expect(profiles.find((p) => p.name === 'ic7300')?.hamlib.model).toBe(3073);
    expect(profiles.find((p) => p.name === 'flex6000')?.hamlib).toMatchObject({
      model: 2036,
      port: 'network',
    });
    // Every shipped profile, by its file name (36 of them since issue 15).
    expect(profiles.map((p) => p.name)).toEqual(shippedProfileNames());
    expect(profiles.length).toBeGreaterThanOrEqual(36);
  });

  it('POST /api/ports/:name/ptt {ptt:false} unkeys a transmitting radio; keying is refused', async () => {
    expect((await client.cmd('T 1')).ok).toBe(true);
    await until(async () => (await rigctlValue(rigctld.port, 't', 'PTT')) === '1', 2000, 'keyed');
    // Only the JSON boolean false releases: look-alikes are refused, not coerced, and the radio stays keyed.
    for (const lookAlike of ['false', 0, null, [false], 'no']) {
      const refused = await stack.json('/api/ports/ft8/ptt', { method: 'POST', body: { ptt: lookAlike } });
      expect(refused.status, JSON.stringify(lookAlike)).toBe(400);
    }
    expect(await rigctlValue(rigctld.port, 't', 'PTT')).toBe('1');
    const released = await stack.json('/api/ports/ft8/ptt', { method: 'POST', body: { ptt: false } });
    expect(released.status).toBe(200);
    expect(released.body).toEqual({ port: 'ft8', backend: 'shack', ptt: false, confirmed: true });
    expect(await rigctlValue(rigctld.port, 't', 'PTT')).toBe('0');
    const key = await stack.json('/api/ports/ft8/ptt', { method: 'POST', body: { ptt: true } });
    expect(key.status).toBe(400);
    expect(await rigctlValue(rigctld.port, 't', 'PTT')).toBe('0');
    expect((await stack.json('/api/ports/nope/ptt', { method: 'POST', body: { ptt: false } })).status).toBe(
      404,
    );
  });
});
