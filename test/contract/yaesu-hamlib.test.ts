/**
 * Contract: each emulated Yaesu model (newcat and 5-byte) driven by the real Hamlib 4.5.4 `rigctl` for
 * the model a user picks, over a real pty, long-lived, against a real `rigctld -m 1 -P RIG` (Hamlib's
 * dummy radio) and against the built-in simulator. Asserted both ways: what Hamlib reads back, and what
 * the radio behind the gateway ended up with. Where Hamlib 4.5.4 itself cannot do an operation for a
 * model, the case says so and why (captures: test/rigs/yaesu/fixtures/hamlib-4.5.4).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SimBackend } from '../../src/gateway/backends/sim-backend.js';
import { PtyPort } from '../../src/gateway/ports/pty-port.js';
import type { FrameEvent } from '../../src/rigs/emulator.js';
import { createEmulator } from '../../src/rigs/families.js';
import { loadProfile } from '../../src/rigs/profiles.js';
import { PyClient } from '../ports/helpers.js';
import { FakeRig } from '../support/fake-rig.js';
import { GatewayHarness, until } from '../support/gateway-harness.js';
import { RigctlSession } from '../support/rigctl-session.js';
import { describeWithTools } from '../support/tools.js';
import { useContractRig } from './radio-side.js';

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
  newcat('ft710', 1049, { vfoSelect: true }),
  newcat('ftdx3000', 1037, { vfoSelect: true, vfoNames: ['Main', 'Sub'] }),
  // Hamlib 4.5.4's FT-450D (1046) refuses everything but ID; its FT-450 (1027) is what works.
  newcat('ft450d', 1027, { vfoSelect: true }),
  newcat('ft950', 1028, { vfoSelect: true }),
  legacy('ft817', 1020),
  legacy('ft818', 1041),
  legacy('ft857', 1022),
  legacy('ft897', 1023, { vfoSelect: false, splitFreq: false }),
];

/** A write that is not reverted reaches the radio within settle_ms (150) plus a round trip; polls add slack. */
const REACH_RADIO_MS = 1000;

function contractSuite(kind: 'rigctld' | 'sim'): void {
  const rig = useContractRig(kind, () =>
    MODELS.map((m) => ({ name: m.profile, rig: m.profile, backend: 'radio' })),
  );

  for (const model of MODELS) {
    it(`${model.profile}: Hamlib model ${model.hamlibModel} drives frequency, modes, PTT, split and VFOs`, async () => {
      const client = await RigctlSession.open(model.hamlibModel, rig.harness.links[model.profile]!);
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
          async () => (await rig.radio.freq('VFOA')) === step(14_074_123),
          REACH_RADIO_MS,
          'radio freq',
        );

        // A change made at the radio reaches the client within 2 s.
        await rig.radio.setFreqA(7_074_000);
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
            async () => (await rig.radio.mode('VFOA')).mode === mode,
            REACH_RADIO_MS,
            `radio mode ${mode}`,
          );
        }

        // PTT on and off.
        await expectOk('T 1');
        expect(await expectOk('t')).toEqual(['1']);
        await until(() => rig.radio.ptt(), REACH_RADIO_MS, 'radio keyed');
        await expectOk('T 0');
        expect(await expectOk('t')).toEqual(['0']);
        await until(async () => !(await rig.radio.ptt()), REACH_RADIO_MS, 'radio unkeyed');

        // Split on with a TX frequency, then off.
        const [nameA, nameB] = model.vfoNames;
        await expectOk('S 1 VFOB');
        expect(await expectOk('s')).toEqual(['1', nameB]);
        if (model.splitFreq) {
          await expectOk('I 14076500');
          expect(await expectOk('i')).toEqual(['14076500']);
        } else {
          // Hamlib cannot write it; the radio's VFO B is what it reads (two 81 toggles around an 03).
          expect(await expectOk('i')).toEqual([String(await rig.radio.freq('VFOB'))]);
        }
        await until(
          async () =>
            (await rig.radio.split()).on &&
            (!model.splitFreq || (await rig.radio.freq('VFOB')) === 14_076_500),
          REACH_RADIO_MS,
          'radio split on, TX 14076500',
        );
        expect((await rig.radio.split()).txVfo).toBe('VFOB');
        await expectOk(model.splitOff);
        expect((await expectOk('s'))[0]).toBe('0');
        await until(async () => !(await rig.radio.split()).on, REACH_RADIO_MS, 'radio split off');

        // VFO A/B, where Hamlib's backend selects VFOs on the wire.
        if (model.vfoSelect) {
          await expectOk('V VFOB');
          expect(await expectOk('v')).toEqual([nameB]);
          await until(async () => (await rig.radio.vfo()) === 'VFOB', REACH_RADIO_MS, 'radio on VFO B');
          await expectOk('V VFOA');
          expect(await expectOk('v')).toEqual([nameA]);
          await until(async () => (await rig.radio.vfo()) === 'VFOA', REACH_RADIO_MS, 'radio back on VFO A');
        }
      } finally {
        await client.close();
      }
    }, 60_000);
  }
}

/** Bytes as the Python serial client writes and reads them (latin1). */
const latin1 = (hex: string) => Buffer.from(hex.replace(/\s+/g, ''), 'hex').toString('latin1');

/**
 * A perfect radio: the same emulator answering from memory on its own pty, with no gateway, no backend
 * and no settle window behind it. What Hamlib's rig_open costs against it is the floor.
 */
async function perfectRadio(profileName: string, dir: string): Promise<PtyPort> {
  const profile = loadProfile(profileName);
  const port = await PtyPort.open({
    name: `perfect-${profileName}`,
    link: join(dir, `perfect-${profileName}`),
  });
  const emulator = createEmulator(profile, {
    profile,
    rig: new FakeRig(),
    write: (bytes) => port.write(bytes),
    port: { autoInfo: false, echo: false, transceive: false },
  });
  port.on('data', (bytes, readAtMs) => emulator.receive(bytes, readAtMs));
  port.on('client', (open) => {
    if (!open) emulator.reset();
  });
  return port;
}

/** Median wall time of `runs` Hamlib rig_opens (rigctl start, open, first command echoed) on a device. */
async function openMs(model: number, device: string, runs = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const client = await RigctlSession.open(model, device);
    times.push(performance.now() - started);
    await client.close();
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

function gatewayOnlySuite(): void {
  let harness: GatewayHarness;
  beforeAll(async () => {
    harness = await GatewayHarness.start(
      { radio: { type: 'sim' } },
      MODELS.map((m) => ({ name: m.profile, rig: m.profile, backend: 'radio' })),
    );
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('rig_open through the gateway takes no longer than against a perfect radio (no ACK stall)', async () => {
    const figures: string[] = [];
    for (const model of MODELS) {
      const perfect = await perfectRadio(model.profile, harness.dir);
      try {
        const floor = await openMs(model.hamlibModel, perfect.link);
        const sets: number[][] = [];
        const onFrame = (e: FrameEvent) => {
          if (e.kind === 'set') sets.push([...e.reply]);
        };
        const session = harness.session(model.profile);
        session.on('frame', onFrame);
        const gateway = await openMs(model.hamlibModel, harness.links[model.profile]!);
        session.off('frame', onFrame);
        // The 5-byte radios' open toggles VFOs (81): each set got its ACK, so Hamlib never stalls on one.
        if (model.stepHz === 10 && model.vfoSelect) {
          expect(sets.length).toBeGreaterThan(0);
          expect(sets.every((reply) => reply.length === 1 && reply[0] === 0)).toBe(true);
        }
        figures.push(
          `${model.profile} (${model.hamlibModel}): gateway ${gateway.toFixed(0)} ms, perfect ${floor.toFixed(0)} ms`,
        );
        // A missing ACK costs one full Hamlib timeout (FT-857 200 ms, FT-817 3 s); the port's first replies
        // may wait up to 100 ms for the cache refresh (FIRST_REPLY_WAIT_MS).
        expect(gateway, `${model.profile} rig_open`).toBeLessThan(floor + 150);
      } finally {
        await perfect.close();
      }
    }
    console.log(`rig_open (median of 3, rigctl start included):\n  ${figures.join('\n  ')}`);
  }, 120_000);

  it("rig_open's VFO toggles (81 … 81) and probes never reach the radio", async () => {
    const shared = harness.rig('radio');
    const writes: string[] = [];
    const onWrite = (e: { value: { field: string } }) => writes.push(e.value.field);
    shared.on('write', onWrite);
    try {
      for (const model of MODELS) {
        const client = await RigctlSession.open(model.hamlibModel, harness.links[model.profile]!);
        expect((await client.cmd('f')).ok).toBe(true);
        await client.close();
      }
      await new Promise((resolve) => setTimeout(resolve, 400)); // past the settle window
      expect(writes).toEqual([]);
    } finally {
      shared.off('write', onWrite);
    }
  }, 60_000);

  it("WSJT-X's resolution probe on the FT-991A (f+55, read, restore) never reaches the radio", async () => {
    const shared = harness.rig('radio');
    const writes: string[] = [];
    const onWrite = (e: { value: { field: string } }) => writes.push(e.value.field);
    const client = await RigctlSession.open(1035, harness.links.ft991a!);
    try {
      expect((await client.cmd('F 14074000')).ok).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 400)); // the start frequency settles first
      shared.on('write', onWrite);
      expect((await client.cmd('F 14074055')).ok).toBe(true);
      expect((await client.cmd('f')).values).toEqual(['14074055']);
      expect((await client.cmd('F 14074000')).ok).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(writes).toEqual([]);
    } finally {
      shared.off('write', onWrite);
      await client.close();
    }
  });

  it('FT-817 split mode (82, 81, 07, 81, 02): only the TX VFO mode reaches the radio', async () => {
    const shared = harness.rig('radio');
    const writes: string[] = [];
    const onWrite = (e: { value: { field: string } }) => writes.push(e.value.field);
    const client = await RigctlSession.open(1020, harness.links.ft817!);
    try {
      expect((await client.cmd('M USB 0')).ok).toBe(true);
      expect((await client.cmd('S 1 VFOB')).ok).toBe(true);
      await until(
        () => (harness.rig('radio').backend as unknown as SimBackend).snapshot().split,
        REACH_RADIO_MS,
        'split on at the radio',
      );
      await new Promise((resolve) => setTimeout(resolve, 400));
      shared.on('write', onWrite);
      expect((await client.cmd('X PKTUSB 0')).ok).toBe(true);
      await until(() => writes.length > 0, REACH_RADIO_MS, 'a write');
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(writes).toEqual(['modeB']);
      expect((harness.rig('radio').backend as unknown as SimBackend).snapshot()).toMatchObject({
        vfo: 'VFOA',
        split: true,
        modeB: 'PKTUSB',
      });
    } finally {
      shared.off('write', onWrite);
      await client.cmd('S 0 VFOA');
      await client.close();
    }
  });

  it('a lost byte on a real pty: the partial frame is dropped at the gap, counted, and the next frame answered', async () => {
    const session = harness.session('ft857');
    const client = PyClient.start();
    try {
      await client.call({ op: 'open', path: harness.links.ft857 });
      // Byte by byte, a few ms apart (Hamlib writes the FT-897 at 5 ms per byte): one frame, no resync.
      for (const byte of ['00', '00', '00', '00', 'F7'])
        await client.call({ op: 'write', data: latin1(byte) });
      expect((await client.call({ op: 'read', until: latin1('FF') })).data).toBe(latin1('FF'));
      expect(session.stats.resyncs).toBe(0);
      // A set frequency whose opcode byte was lost, then silence (Hamlib waits for its ACK), then a read.
      await client.call({ op: 'write', data: latin1('01 40 74 00') });
      await client.call({ op: 'drain', seconds: 0.25 });
      await client.call({ op: 'write', data: latin1('00 00 00 00 F7') });
      const reply = await client.call({ op: 'read', until: latin1('FF'), timeout: 2 });
      expect(reply.data).toBe(latin1('FF'));
      expect(session.stats.resyncs).toBe(1);
    } finally {
      await client.stop();
    }
  });
}

describeWithTools(
  ['rigctl', 'stdbuf', 'python3'],
  'Yaesu ports in the gateway: open time, probes, resync',
  () => gatewayOnlySuite(),
);
describeWithTools(
  ['rigctl', 'rigctld', 'stdbuf'],
  'Yaesu families through real Hamlib, rigctld backend',
  () => contractSuite('rigctld'),
);
describeWithTools(['rigctl', 'stdbuf'], 'Yaesu families through real Hamlib, sim backend', () =>
  contractSuite('sim'),
);
