/**
 * The rigctld door (issue 14) driven by real clients over real TCP: Hamlib 4.5.4's own NET client
 * `rigctl -m 2` (what WSJT-X's "Hamlib NET rigctl" is), raw protocol clients for the extended forms and
 * VFO mode, against the built-in simulator and a real `rigctld -m 1` behind. Asserted both ways: what the
 * client reads and what the radio behind ended up with. The byte-level answers are proven against
 * rigctld's own captures in rigctld-golden.test.ts.
 */
import { expect, it } from 'vitest';
import { driveModel, REACH_RADIO_MS } from '../contract/hamlib-scenario.js';
import { useContractRig } from '../contract/radio-side.js';
import { GatewayHarness, until } from '../support/gateway-harness.js';
import { RigctlSession } from '../support/rigctl-session.js';
import { freePort, Rigctld } from '../support/rigctld.js';
import { describeWithTools } from '../support/tools.js';
import { RawClient } from './raw-client.js';

function doorSuite(kind: 'rigctld' | 'sim'): void {
  const ctx = useContractRig(kind, () => [{ name: 'ts2000', rig: 'ts2000', backend: 'radio' }], {
    hamlib: { type: 'rigctld', listen: '127.0.0.1:0', backend: 'radio' },
    quiet: { type: 'rigctld', listen: '127.0.0.1:0', backend: 'radio', ptt_idle_s: 1 },
    vfo: { type: 'rigctld', listen: '127.0.0.1:0', backend: 'radio', vfo_mode: true },
  });
  const door = () => ctx.harness.gateway.servers[0]!;
  const address = () => `127.0.0.1:${door().port}`;

  it('rigctl -m 2 reads, QSYs both ways, sets modes with data modes, split, VFOs and PTT', async () => {
    const client = await RigctlSession.open(2, address());
    try {
      await driveModel(client, ctx.radio, { dataMode: true, vfoSelect: true });
      expect((await client.cmd('L RFPOWER 0.5')).ok).toBe(true);
      expect((await client.cmd('l RFPOWER')).values).toEqual(['0.500000']);
    } finally {
      await client.close();
    }
  });

  it('rigctl -m 2 --vfo against a door in VFO mode: every command names its VFO', async () => {
    const client = await RigctlSession.open(2, `127.0.0.1:${ctx.harness.gateway.servers[2]!.port}`, [
      '--vfo',
    ]);
    try {
      expect((await client.cmd('F VFOB 14076000')).ok).toBe(true);
      expect((await client.cmd('f VFOB')).values).toEqual(['14076000']);
      await until(async () => (await ctx.radio.freq('VFOB')) === 14_076_000, REACH_RADIO_MS, 'VFO B set');
      expect((await client.cmd('F VFOA 14074500')).ok).toBe(true);
      expect((await client.cmd('f VFOA')).values).toEqual(['14074500']);
      await until(async () => (await ctx.radio.freq('VFOA')) === 14_074_500, REACH_RADIO_MS, 'VFO A set');
      expect((await client.cmd('M VFOA PKTUSB 3000')).ok).toBe(true);
      expect((await client.cmd('m VFOA')).values).toEqual(['PKTUSB', '3000']);
      await until(async () => (await ctx.radio.mode('VFOA')).mode === 'PKTUSB', REACH_RADIO_MS, 'PKTUSB');
      expect((await client.cmd('T VFOA 1')).ok).toBe(true);
      await until(() => ctx.radio.ptt(), REACH_RADIO_MS, 'keyed in VFO mode');
      expect((await client.cmd('T VFOA 0')).ok).toBe(true);
      await until(async () => !(await ctx.radio.ptt()), REACH_RADIO_MS, 'unkeyed in VFO mode');
    } finally {
      await client.close();
    }
  });

  it('extended answers and VFO mode over a raw connection, per connection', async () => {
    const a = await RawClient.open(door().port);
    const b = await RawClient.open(door().port);
    try {
      expect(await a.ask('F 14074000')).toBe('RPRT 0\n');
      expect(await a.ask('+f')).toBe('get_freq:\nFrequency: 14074000\nRPRT 0\n');
      expect(await a.ask(';m')).toMatch(/^get_mode:;Mode: [A-Z]+;Passband: \d+;RPRT 0\n$/);
      expect(await a.ask('\\set_vfo_opt 1')).toBe('RPRT 0\n');
      expect(await a.ask('\\chk_vfo')).toBe('1\n');
      expect(await a.ask('F VFOB 14076000')).toBe('RPRT 0\n');
      expect(await a.ask('+f VFOB')).toBe('get_freq: VFOB\nFrequency: 14076000\nRPRT 0\n');
      await until(async () => (await ctx.radio.freq('VFOB')) === 14_076_000, REACH_RADIO_MS, 'VFO B set');
      // The other connection is not in VFO mode.
      expect(await b.ask('\\chk_vfo')).toBe('0\n');
      expect(await b.ask('f')).toBe('14074000\n');
      expect(await b.ask('\\get_vfo_info VFOB')).toMatch(/^14076000\n[A-Z]+\n\d+\n0\n0\n$/);
      expect(await a.ask('q')).toBe('RPRT 0\n');
      await until(() => a.isClosed, 1000, 'q closes the connection');
    } finally {
      a.close();
      b.close();
    }
  });

  it('PTT is released when the rigctl -m 2 client is killed', async () => {
    const client = await RigctlSession.open(2, address());
    expect((await client.cmd('T 1')).ok).toBe(true);
    await until(() => ctx.radio.ptt(), REACH_RADIO_MS, 'radio keyed');
    await client.kill();
    await until(async () => !(await ctx.radio.ptt()), 2000, 'radio unkeyed after the kill');
  });

  it('one transmitter: a pty client and a network client keyed at once, the second refused its own way', async () => {
    const net = await RigctlSession.open(2, address());
    const pty = await RigctlSession.open(2014, ctx.harness.links.ts2000!);
    try {
      expect((await net.cmd('T 3')).ok).toBe(true);
      await until(() => ctx.radio.ptt(), REACH_RADIO_MS, 'keyed by the network client (data PTT)');
      expect((await pty.cmd('T 1')).ok).toBe(false);
      expect((await net.cmd('T 0')).ok).toBe(true);
      await until(async () => !(await ctx.radio.ptt()), REACH_RADIO_MS, 'unkeyed');
      expect((await pty.cmd('T 1')).ok).toBe(true);
      await until(() => ctx.radio.ptt(), REACH_RADIO_MS, 'keyed by the pty client');
      // rigctld's refusal: RPRT -9, which rigctl reports as an error.
      const refused = await net.cmd('T 1');
      expect(refused.ok).toBe(false);
      expect(refused.raw).toMatch(/rejected/i);
      expect((await pty.cmd('T 0')).ok).toBe(true);
      await until(async () => !(await ctx.radio.ptt()), REACH_RADIO_MS, 'unkeyed by the pty client');
    } finally {
      await net.close();
      await pty.close();
    }
  });

  it('a keyed client silent for ptt_idle_s is unkeyed and keeps its connection', async () => {
    const raw = await RawClient.open(ctx.harness.gateway.servers[1]!.port);
    try {
      expect(await raw.ask('T 1')).toBe('RPRT 0\n');
      await until(() => ctx.radio.ptt(), REACH_RADIO_MS, 'keyed');
      const ms = await until(async () => !(await ctx.radio.ptt()), 3000, 'unkeyed after 1 s of silence');
      expect(ms).toBeGreaterThan(500);
      expect(raw.isClosed).toBe(false);
      expect(await raw.ask('t')).toBe('0\n');
    } finally {
      raw.close();
    }
  });
}

describeWithTools(['rigctl', 'rigctld'], 'rigctld door, rigctld -m 1 behind', () => doorSuite('rigctld'));
describeWithTools(['rigctl'], 'rigctld door, simulator behind', () => doorSuite('sim'));

describeWithTools(['rigctld'], 'rigctld door while the radio is lost', () => {
  it('answers RPRT -6 at once, not silence, when the radio has never been reached', async () => {
    const nobody = await freePort();
    const harness = await GatewayHarness.start(
      { radio: { type: 'rigctld', address: `127.0.0.1:${nobody}`, grace_ms: 300 } },
      [{ name: 'ts2000', rig: 'ts2000', backend: 'radio' }],
      { hamlib: { type: 'rigctld', listen: '127.0.0.1:0', backend: 'radio' } },
    );
    const raw = await RawClient.open(harness.gateway.servers[0]!.port);
    try {
      // A pty stays silent like a switched-off radio; a network client waits for every answer.
      expect(await raw.ask('f')).toBe('RPRT -6\n');
      expect(await raw.ask('\\chk_vfo')).toBe('0\n');
    } finally {
      raw.close();
      await harness.stop();
    }
  });

  it('answers RPRT -6 once the backend has been lost past grace_ms, and the radio again when it is back', async () => {
    const rigctld = await Rigctld.start();
    const harness = await GatewayHarness.start(
      { radio: { type: 'rigctld', address: `127.0.0.1:${rigctld.port}`, grace_ms: 300 } },
      [{ name: 'ts2000', rig: 'ts2000', backend: 'radio' }],
      { hamlib: { type: 'rigctld', listen: '127.0.0.1:0', backend: 'radio' } },
    );
    const raw = await RawClient.open(harness.gateway.servers[0]!.port);
    try {
      expect(await raw.ask('f')).toMatch(/^\d+\n$/);
      await rigctld.kill();
      await until(async () => (await raw.ask('f')) === 'RPRT -6\n', 5000, 'RPRT -6 after grace_ms');
      expect(await raw.ask('+T 1')).toBe('set_ptt: 1\nRPRT -6\n');
      await rigctld.restart();
      await until(async () => /^\d+\n$/.test(await raw.ask('f')), 10_000, 'answers again');
    } finally {
      raw.close();
      await harness.stop();
      await rigctld.kill();
    }
  });
});
