/**
 * Contract: each emulated Yaesu model (newcat and 5-byte) driven by the real Hamlib 4.5.4 `rigctl` for
 * the model a user picks, over a real pty, long-lived, against a real `rigctld -m 1 -P RIG` (Hamlib's
 * dummy radio) and against the built-in simulator. Asserted both ways: what Hamlib reads back, and what
 * the radio behind the gateway ended up with. Where Hamlib 4.5.4 itself cannot do an operation for a
 * model, the case says so and why (captures: test/rigs/yaesu/fixtures/hamlib-4.5.4).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SimBackend } from '../../src/gateway/backends/sim-backend.js';
import { GatewayHarness, until } from '../support/gateway-harness.js';
import { RigctlSession } from '../support/rigctl-session.js';
import { Rigctld } from '../support/rigctld.js';
import { describeWithTools } from '../support/tools.js';
import { type RadioSide, rigctldSide, simSide } from './radio-side.js';

interface ModelCase {
  profile: string;
  hamlibModel: number;
  /** Frequency resolution: the 5-byte radios take 10 Hz steps (Hamlib sends (f+5)/10). */
  stepHz: number;
  /** The passband Hamlib is given with a mode: the FT-857/897 backends refuse anything but 0. */
  width: (hz: number) => number;
  /** Hamlib's backend selects VFOs on the wire (no VFO functions for the FT-891 and FT-897 in 4.5.4). */
  vfoSelect: boolean;
  /** Hamlib's names for VFO A and B (the FTDX101D's are Main and Sub). */
  vfoNames: [string, string];
  /** Hamlib can set the split TX frequency (`I`); the FT-897 backend cannot ("Feature not available"). */
  splitFreq: boolean;
  /** How split is turned off: on the FT-891 Hamlib refuses `S 0 VFOA` and `S 0 VFOB` before sending. */
  splitOff: string;
}

const newcat = (profile: string, hamlibModel: number, extra: Partial<ModelCase> = {}): ModelCase => ({
  profile,
  hamlibModel,
  stepHz: 1,
  width: (hz) => hz,
  vfoSelect: false,
  vfoNames: ['VFOA', 'VFOB'],
  splitFreq: true,
  splitOff: 'S 0 VFOA',
  ...extra,
});
const legacy = (profile: string, hamlibModel: number, extra: Partial<ModelCase> = {}): ModelCase => ({
  ...newcat(profile, hamlibModel),
  stepHz: 10,
  width: () => 0,
  vfoSelect: true,
  ...extra,
});

const MODELS: ModelCase[] = [
  newcat('ft991a', 1035),
  newcat('ftdx10', 1042, { vfoSelect: true }),
  newcat('ft891', 1036, { splitOff: 'S 0 Main' }),
  newcat('ftdx101d', 1040, { vfoSelect: true, vfoNames: ['Main', 'Sub'] }),
  legacy('ft817', 1020),
  legacy('ft818', 1041),
  legacy('ft857', 1022),
  legacy('ft897', 1023, { vfoSelect: false, splitFreq: false }),
];

/** A write that is not reverted reaches the radio within settle_ms (150) plus a round trip; polls add slack. */
const REACH_RADIO_MS = 1000;

function contractSuite(kind: 'rigctld' | 'sim'): void {
  let rigctld: Rigctld | undefined;
  let harness: GatewayHarness;
  let radio: RadioSide;

  beforeAll(async () => {
    if (kind === 'rigctld') rigctld = await Rigctld.start();
    const backend =
      kind === 'rigctld' ? { type: 'rigctld', address: `127.0.0.1:${rigctld!.port}` } : { type: 'sim' };
    harness = await GatewayHarness.start(
      { radio: backend },
      MODELS.map((m) => ({ name: m.profile, rig: m.profile, backend: 'radio' })),
    );
    radio =
      kind === 'rigctld'
        ? rigctldSide(rigctld!.port)
        : simSide(harness.rig('radio').backend as unknown as SimBackend);
  });

  afterAll(async () => {
    await harness?.stop();
    await rigctld?.kill();
  });

  for (const model of MODELS) {
    it(`${model.profile}: Hamlib model ${model.hamlibModel} drives frequency, modes, PTT, split and VFOs`, async () => {
      const client = await RigctlSession.open(model.hamlibModel, harness.links[model.profile]!);
      const expectOk = async (line: string) => {
        const reply = await client.cmd(line);
        expect(reply.ok, `${line}: ${reply.raw}`).toBe(true);
        return reply.values;
      };
      const step = (hz: number) => Math.floor((hz + model.stepHz / 2) / model.stepHz) * model.stepHz;
      try {
        // Frequency to the model's resolution, both ways (the 5-byte radios: 14074123 -> 14074120).
        await expectOk('F 14074123');
        expect(await expectOk('f')).toEqual([String(step(14_074_123))]);
        await until(
          async () => (await radio.freq('VFOA')) === step(14_074_123),
          REACH_RADIO_MS,
          'radio freq',
        );

        // A change made at the radio reaches the client within 2 s.
        await radio.setFreqA(7_074_000);
        await until(
          async () => (await client.cmd('f')).values[0] === '7074000',
          2000,
          'radio-side change seen',
        );

        // Modes, including the data mode.
        for (const [mode, width] of [
          ['CW', 500],
          ['USB', 2400],
          ['PKTUSB', 3000],
          ['USB', 2400],
        ] as const) {
          await expectOk(`M ${mode} ${model.width(width)}`);
          expect((await expectOk('m'))[0]).toBe(mode);
          await until(
            async () => (await radio.mode('VFOA')).mode === mode,
            REACH_RADIO_MS,
            `radio mode ${mode}`,
          );
        }

        // PTT on and off.
        await expectOk('T 1');
        expect(await expectOk('t')).toEqual(['1']);
        await until(() => radio.ptt(), REACH_RADIO_MS, 'radio keyed');
        await expectOk('T 0');
        expect(await expectOk('t')).toEqual(['0']);
        await until(async () => !(await radio.ptt()), REACH_RADIO_MS, 'radio unkeyed');

        // Split on with a TX frequency, then off.
        const [nameA, nameB] = model.vfoNames;
        await expectOk('S 1 VFOB');
        expect(await expectOk('s')).toEqual(['1', nameB]);
        if (model.splitFreq) {
          await expectOk('I 14076500');
          expect(await expectOk('i')).toEqual(['14076500']);
        } else {
          // Hamlib cannot write it; the radio's VFO B is what it reads (two 81 toggles around an 03).
          expect(await expectOk('i')).toEqual([String(await radio.freq('VFOB'))]);
        }
        await until(
          async () =>
            (await radio.split()).on && (!model.splitFreq || (await radio.freq('VFOB')) === 14_076_500),
          REACH_RADIO_MS,
          'radio split on, TX 14076500',
        );
        expect((await radio.split()).txVfo).toBe('VFOB');
        await expectOk(model.splitOff);
        expect((await expectOk('s'))[0]).toBe('0');
        await until(async () => !(await radio.split()).on, REACH_RADIO_MS, 'radio split off');

        // VFO A/B, where Hamlib's backend selects VFOs on the wire.
        if (model.vfoSelect) {
          await expectOk('V VFOB');
          expect(await expectOk('v')).toEqual([nameB]);
          await until(async () => (await radio.vfo()) === 'VFOB', REACH_RADIO_MS, 'radio on VFO B');
          await expectOk('V VFOA');
          expect(await expectOk('v')).toEqual([nameA]);
          await until(async () => (await radio.vfo()) === 'VFOA', REACH_RADIO_MS, 'radio back on VFO A');
        }
      } finally {
        await client.close();
      }
    }, 60_000);
  }
}

describeWithTools(
  ['rigctl', 'rigctld', 'stdbuf'],
  'Yaesu families through real Hamlib, rigctld backend',
  () => contractSuite('rigctld'),
);
describeWithTools(['rigctl', 'stdbuf'], 'Yaesu families through real Hamlib, sim backend', () =>
  contractSuite('sim'),
);
