/**
 * Contract: each emulated Icom model driven by the real Hamlib 4.5.4 `rigctl` for that model, over a
 * real pty, long-lived, with CI-V echo off (the radios' USB default) and on (Hamlib detects it at open
 * and then verifies an echo before every reply), against a real `rigctld -m 1 -P RIG` and against the
 * built-in simulator.
 */
import { closeSync, openSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { FrameEvent } from '../../src/rigs/emulator.js';
import { until } from '../support/gateway-harness.js';
import { RigctlSession } from '../support/rigctl-session.js';
import { describeWithTools } from '../support/tools.js';
import { driveModel, REACH_RADIO_MS, type ScenarioCase } from './hamlib-scenario.js';
import { useContractRig } from './radio-side.js';

interface IcomCase extends ScenarioCase {
  profile: string;
  hamlibModel: number;
}

const MODELS: IcomCase[] = [
  { profile: 'ic7300', hamlibModel: 3073, dataMode: true, vfoSelect: true },
  { profile: 'ic705', hamlibModel: 3085, dataMode: true, vfoSelect: true },
  // Hamlib 4.5.4 leaves PKTUSB out of the IC-9700's mode list but sets and reads it (26 00 01 01 01).
  { profile: 'ic9700', hamlibModel: 3081, dataMode: true, vfoSelect: true },
  { profile: 'ic7610', hamlibModel: 3078, dataMode: true, vfoSelect: true, vfoNames: ['Main', 'Sub'] },
  // No 25/26: Hamlib reads VFO B by exchanging A and B (07 B0); those probes never reach the radio.
  { profile: 'ic7100', hamlibModel: 3070, dataMode: true, vfoSelect: true },
  { profile: 'ic7600', hamlibModel: 3063, dataMode: true, vfoSelect: true, vfoNames: ['Main', 'Sub'] },
  { profile: 'ic9100', hamlibModel: 3068, dataMode: true, vfoSelect: true },
  // The old command set: no DATA mode, and no CAT PTT in Hamlib's backend for it.
  { profile: 'ic706mk2g', hamlibModel: 3011, dataMode: false, vfoSelect: true, ptt: false },
  { profile: 'x6100', hamlibModel: 3087, dataMode: true, vfoSelect: true },
  // Hamlib 4.5.4 has no split for the G90.
  { profile: 'g90', hamlibModel: 3088, dataMode: true, vfoSelect: true, split: false },
];

const ECHO = [false, true];
const portName = (model: IcomCase, echo: boolean) => `${model.profile}${echo ? '-echo' : ''}`;

function contractSuite(kind: 'rigctld' | 'sim'): void {
  const rig = useContractRig(kind, () =>
    MODELS.flatMap((m) =>
      ECHO.map((echo) => ({ name: portName(m, echo), rig: m.profile, backend: 'radio', extra: { echo } })),
    ),
  );

  it("keeps VFO A and B apart when they are equal at open: Hamlib's +100 Hz probe never reaches the radio", async () => {
    await rig.radio.setFreqA(14_074_000);
    await rig.radio.setFreqB(14_074_000);
    const shared = rig.harness.rig('radio');
    // With no client attached the gateway polls slowly; a client on another port makes it poll fast,
    // and the probe only happens if the port answers A = B at open.
    const other = openSync(rig.harness.links['ic705']!, 'r+');
    try {
      await until(() => shared.radioState().freqA === shared.radioState().freqB, 2000, 'gateway sees A = B');
    } finally {
      closeSync(other);
    }
    const writes: string[] = [];
    const onWrite = (e: { value: { field: string } }) => writes.push(e.value.field);
    shared.on('write', onWrite);
    const session = rig.harness.session('ic7300');
    const meanings: string[] = [];
    const onFrame = (frame: FrameEvent) => meanings.push(frame.meaning);
    session.on('frame', onFrame);
    const client = await RigctlSession.open(3073, rig.harness.links.ic7300!);
    try {
      expect((await client.cmd('f')).values).toEqual(['14074000']);
      // The probe happened on the wire…
      expect(meanings).toContain('set VFOA frequency 14074100 Hz');
      await new Promise((resolve) => setTimeout(resolve, 400));
      // …and never reached the radio.
      expect(writes).toEqual([]);
      expect([await rig.radio.freq('VFOA'), await rig.radio.freq('VFOB')]).toEqual([14_074_000, 14_074_000]);
    } finally {
      shared.off('write', onWrite);
      session.off('frame', onFrame);
      await client.close();
    }
  });

  for (const model of MODELS) {
    for (const echo of ECHO) {
      it(`${model.profile}, echo ${echo ? 'on' : 'off'}: Hamlib model ${model.hamlibModel} drives frequency, modes, PTT, split and VFOs`, async () => {
        const session = rig.harness.session(portName(model, echo));
        const frames: FrameEvent[] = [];
        const onFrame = (frame: FrameEvent) => frames.push(frame);
        session.on('frame', onFrame);
        const client = await RigctlSession.open(model.hamlibModel, rig.harness.links[portName(model, echo)]!);
        try {
          await driveModel(client, rig.radio, model);
          // Hamlib's split-mode read swaps VFOs and toggles split around it: the radio must not move.
          if (model.split !== false) {
            await client.cmd(`S 1 ${model.vfoNames?.[1] ?? 'VFOB'}`);
            await until(async () => (await rig.radio.split()).on, REACH_RADIO_MS, 'split on');
            const before = [await rig.radio.freq('VFOA'), await rig.radio.freq('VFOB')];
            expect((await client.cmd('x')).ok).toBe(true);
            await new Promise((resolve) => setTimeout(resolve, 300));
            expect([await rig.radio.freq('VFOA'), await rig.radio.freq('VFOB')]).toEqual(before);
            expect(await rig.radio.vfo()).toBe('VFOA');
            expect((await rig.radio.split()).on).toBe(true);
            await client.cmd(`S 0 ${model.vfoNames?.[0] ?? 'VFOA'}`);
            await until(async () => !(await rig.radio.split()).on, REACH_RADIO_MS, 'split off');
          }
          // Every answered frame carried (or not) the echo of its request, as configured.
          const answered = frames.filter((f) => f.reply.length > 0);
          expect(answered.length).toBeGreaterThan(20);
          const echoed = answered.filter((f) => startsWith(f.reply, f.request));
          expect(echoed.length).toBe(echo ? answered.length : 0);
        } finally {
          session.off('frame', onFrame);
          await client.close();
        }
      });
    }
  }
}

function startsWith(data: Uint8Array, prefix: Uint8Array): boolean {
  return data.length > prefix.length && prefix.every((b, i) => data[i] === b);
}

describeWithTools(['rigctl', 'rigctld', 'stdbuf'], 'Icom family through real Hamlib, rigctld backend', () =>
  contractSuite('rigctld'),
);
describeWithTools(['rigctl', 'stdbuf'], 'Icom family through real Hamlib, sim backend', () =>
  contractSuite('sim'),
);
