/**
 * Contract: each emulated Kenwood-family model driven by the real Hamlib 4.5.4 `rigctl` for that
 * model, over a real pty, long-lived (the port stays open between commands, as WSJT-X keeps it),
 * against a real `rigctld -m 1 -P RIG` (Hamlib's dummy radio) and against the built-in simulator.
 * Asserted both ways: what Hamlib reads back, and what the radio behind the gateway ended up with.
 */
import { expect, it } from 'vitest';
import { until } from '../support/gateway-harness.js';
import { RigctlSession } from '../support/rigctl-session.js';
import { describeWithTools } from '../support/tools.js';
import { driveModel, REACH_RADIO_MS, type ScenarioCase } from './hamlib-scenario.js';
import { useContractRig } from './radio-side.js';

interface ModelCase extends ScenarioCase {
  profile: string;
  hamlibModel: number;
  /** The model has a data mode Hamlib can set (TS-590SG DA1, K3 DATA A). */
  dataMode: boolean;
  /** Hamlib's backend selects VFOs on the wire (the K3's VFO select is emulated inside Hamlib). */
  vfoSelect: boolean;
}

const MODELS: ModelCase[] = [
  { profile: 'ts2000', hamlibModel: 2014, dataMode: false, vfoSelect: true },
  { profile: 'ts590sg', hamlibModel: 2037, dataMode: true, vfoSelect: true },
  { profile: 'ts480', hamlibModel: 2028, dataMode: false, vfoSelect: true },
  { profile: 'k3', hamlibModel: 2029, dataMode: true, vfoSelect: false },
  { profile: 'ts590s', hamlibModel: 2031, dataMode: true, vfoSelect: true },
  { profile: 'ts890s', hamlibModel: 2041, dataMode: true, vfoSelect: true },
  // Main/Sub by CB, split by TB, modes by OM0/OM1.
  { profile: 'ts990s', hamlibModel: 2039, dataMode: true, vfoSelect: true, vfoNames: ['Main', 'Sub'] },
  { profile: 'qcx', hamlibModel: 2052, dataMode: false, vfoSelect: true },
  { profile: 'k3s', hamlibModel: 2043, dataMode: true, vfoSelect: false },
  { profile: 'kx3', hamlibModel: 2045, dataMode: true, vfoSelect: false },
  { profile: 'kx2', hamlibModel: 2044, dataMode: true, vfoSelect: false },
  { profile: 'k4', hamlibModel: 2047, dataMode: true, vfoSelect: false },
  // The ZZ dialect: modes ZZMD, widths ZZFI/ZZFL/ZZFH, PTT ZZTX.
  { profile: 'powersdr', hamlibModel: 2048, dataMode: true, vfoSelect: true },
];

function contractSuite(kind: 'rigctld' | 'sim'): void {
  const rig = useContractRig(kind, () =>
    MODELS.map((m) => ({ name: m.profile, rig: m.profile, backend: 'radio' })),
  );

  for (const model of MODELS) {
    it(`${model.profile}: Hamlib model ${model.hamlibModel} drives frequency, modes, PTT, split and VFOs`, async () => {
      const client = await RigctlSession.open(model.hamlibModel, rig.harness.links[model.profile]!);
      try {
        await driveModel(client, rig.radio, model);
        if (model.vfoSelect) {
          // Kenwood backends read the VFO from the radio (IF, or CB on the TS-990S), so `v` follows the radio.
          const [nameA, nameB] = model.vfoNames ?? ['VFOA', 'VFOB'];
          await client.cmd(`V ${nameB}`);
          expect((await client.cmd('v')).values).toEqual([nameB]);
          await client.cmd(`V ${nameA}`);
          expect((await client.cmd('v')).values).toEqual([nameA]);
        }
      } finally {
        await client.close();
      }
    });
  }

  it('K3: the power meter Hamlib reads (TM, then the BG bar graph) is 0 in receive and the power in transmit', async () => {
    const client = await RigctlSession.open(2029, rig.harness.links.k3!);
    try {
      expect(Number((await client.cmd('l RFPOWER_METER_WATTS')).values[0])).toBe(0);
      expect((await client.cmd('T 1')).ok).toBe(true);
      // The K3 shows power on 12 bars; Hamlib reports bars / 12 × 100.
      const bars = Math.round(12 * rig.harness.rig('radio').radioState().rfPower);
      expect(Number((await client.cmd('l RFPOWER_METER_WATTS')).values[0])).toBeCloseTo((bars / 12) * 100, 1);
      expect((await client.cmd('T 0')).ok).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('freshness: a change made while no client is attached is the first thing a new client reads', async () => {
    const link = rig.harness.links.ts2000!;
    // Attach and detach once so the gateway is idle (slow polling) before the change.
    const first = await RigctlSession.open(2014, link);
    await first.cmd('f');
    await first.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await rig.radio.setFreqA(10_136_000);
    const client = await RigctlSession.open(2014, link);
    try {
      expect((await client.cmd('f')).values).toEqual(['10136000']);
    } finally {
      await client.close();
    }
  });

  it("WSJT-X's resolution probe (f+55, read, restore) never reaches the radio; a real change does in time", async () => {
    const shared = rig.harness.rig('radio');
    const writes: string[] = [];
    const onWrite = (e: { value: { field: string } }) => writes.push(e.value.field);
    shared.on('write', onWrite);
    const client = await RigctlSession.open(2014, rig.harness.links.ts2000!);
    try {
      await client.cmd('F 14074000');
      await until(
        async () => (await rig.radio.freq('VFOA')) === 14_074_000,
        REACH_RADIO_MS,
        'start frequency',
      );
      writes.length = 0;
      const probe = await client.cmd('F 14074055');
      const readBack = await client.cmd('f');
      const restore = await client.cmd('F 14074000');
      expect(readBack.values).toEqual(['14074055']);
      expect(probe.ms + readBack.ms + restore.ms).toBeLessThan(150);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(writes).toEqual([]);
      expect(await rig.radio.freq('VFOA')).toBe(14_074_000);

      // Not reverted: at the radio within the settle window plus a round trip.
      const started = Date.now();
      await client.cmd('F 14075000');
      const reached = await until(
        async () => (await rig.radio.freq('VFOA')) === 14_075_000,
        REACH_RADIO_MS,
        'real change',
      );
      expect(writes).toEqual(['freqA']);
      expect(Date.now() - started).toBeLessThan(REACH_RADIO_MS);
      expect(reached).toBeGreaterThanOrEqual(0);
    } finally {
      shared.off('write', onWrite);
      await client.close();
    }
  });

  it('releases PTT within 1 s when the keying client is killed', async () => {
    const client = await RigctlSession.open(2037, rig.harness.links.ts590sg!);
    expect((await client.cmd('T 1')).ok).toBe(true);
    await until(() => rig.radio.ptt(), REACH_RADIO_MS, 'radio keyed');
    await client.kill();
    const released = await until(
      async () => !(await rig.radio.ptt()),
      1000,
      'PTT released after the client died',
    );
    expect(released).toBeLessThanOrEqual(1000);
  });

  it('survives 50 client opens and closes and still answers', async () => {
    const link = rig.harness.links.ts480!;
    const session = rig.harness.session('ts480');
    const events: boolean[] = [];
    session.on('client', (open: boolean) => events.push(open));
    for (let i = 0; i < 50; i++) {
      const client = await RigctlSession.open(2028, link);
      const reply = await client.cmd('f');
      expect(reply.ok).toBe(true);
      await client.close();
    }
    await until(() => events.filter((open) => !open).length >= 50, 2000, '50 close events');
    expect(events.filter((open) => open).length).toBe(50);
    const client = await RigctlSession.open(2028, link);
    try {
      await client.cmd('F 21074000');
      expect((await client.cmd('f')).values).toEqual(['21074000']);
    } finally {
      await client.close();
    }
  }, 120_000);
}

describeWithTools(
  ['rigctl', 'rigctld', 'stdbuf'],
  'Kenwood family through real Hamlib, rigctld backend',
  () => contractSuite('rigctld'),
);
describeWithTools(['rigctl', 'stdbuf'], 'Kenwood family through real Hamlib, sim backend', () =>
  contractSuite('sim'),
);
