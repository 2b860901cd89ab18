/**
 * Level, meter and function reads through the real Hamlib backend of every emulated model (the FLEX-6000,
 * network-only in Hamlib, through its port's CAT over TCP):
 * loggers, fldigi and contest programs read these. Each read either works or is one Hamlib itself does
 * not offer for that model ("Invalid parameter", "Feature not available"); none may be refused by the
 * port, answered in the wrong format ("Protocol error") or left unanswered.
 */
import { expect, it } from 'vitest';
import { until } from '../support/gateway-harness.js';
import { RigctlSession } from '../support/rigctl-session.js';
import { describeWithTools } from '../support/tools.js';
import { useContractRig } from './radio-side.js';

/**
 * Model, Hamlib model, and how far Hamlib's STRENGTH may be from the radio's signal: half a step of the
 * model's S-meter around S5 plus 1 dB for Hamlib truncating to whole dB (the newcat models are not checked: their S-meters are not calibrated yet).
 */
const MODELS = [
  ['ts2000', 2014, 3],
  ['ts590sg', 2037, 3],
  ['ts480', 2028, 4],
  ['k3', 2029, 2],
  ['ic7300', 3073, 2],
  ['ic705', 3085, 2],
  ['ic9700', 3081, 2],
  ['ic7610', 3078, 2],
  ['ft991a', 1035, null],
  ['ftdx10', 1042, null],
  ['ft891', 1036, null],
  ['ftdx101d', 1040, null],
  ['ft817', 1020, 4],
  ['ft818', 1041, 4],
  ['ft857', 1022, 4],
  ['ft897', 1023, 4],
  ['ts590s', 2031, 3],
  ['ts890s', 2041, 3],
  ['ts990s', 2039, 3],
  ['qcx', 2052, 4],
  ['k3s', 2043, 2],
  ['kx3', 2045, 2],
  ['kx2', 2044, 2],
  ['k4', 2047, 2],
  ['ft710', 1049, null],
  ['ftdx3000', 1037, null],
  ['ft450d', 1027, null],
  ['ft950', 1028, null],
  ['ic7100', 3070, 2],
  ['ic7600', 3063, 2],
  ['ic9100', 3068, 2],
  ['ic706mk2g', 3011, 2],
  ['x6100', 3087, 2],
  ['g90', 3088, 2],
  // STRENGTH is ZZRM0 in dBm, rounded to 1 dB.
  ['powersdr', 2048, 2],
  // Hamlib's 6xxx reads no meter (F6K_LEVEL_ALL: keyer speed and the filter slopes).
  ['flex6000', 2036, null],
] as const;

/** The models Hamlib reaches only over the network ("Port type: Network link"): served on CAT over TCP. */
const OVER_TCP: readonly string[] = ['flex6000'];

/** The meters WSJT-X polls, and what stands for them where Hamlib 4.5.4 lacks some for a model. */
const POLLED = ['l STRENGTH', 'l RFPOWER', 'get_powerstat'];
const POLLED_INSTEAD: Record<string, string[]> = {
  // The IC-706MkIIG backend has no RF power level ("Invalid parameter").
  ic706mk2g: ['l STRENGTH', 'get_powerstat'],
  // The 6xxx backend has only these levels (`rigctl -m 2036 -u`: "Get level").
  flex6000: ['l KEYSPD', 'l SLOPE_LOW', 'l SLOPE_HIGH'],
};

const READS = [
  'l STRENGTH',
  'l RFPOWER',
  'l RFPOWER_METER',
  'l SWR',
  'l ALC',
  'l AF',
  'l RF',
  'l SQL',
  'l MICGAIN',
  'l KEYSPD',
  'l COMP',
  'l PREAMP',
  'l ATT',
  'l AGC',
  'l SLOPE_LOW',
  'l SLOPE_HIGH',
  'u NB',
  'u COMP',
  'u VOX',
  'get_powerstat',
];

/** What Hamlib says when the model's backend does not have the level: not the port's doing. */
const NOT_IN_HAMLIB = /(Invalid parameter|Feature not available)\s*$/;

/**
 * Reads Hamlib 4.5.4 offers for a model whose radio lacks the command, so the port answers `?;` as the
 * radio does. The QCX/QDX (qrplabs_caps copies the TS-480's level set) has no SL/SH in QRP Labs' CAT
 * command list; unverified against a real radio.
 */
const RADIO_LACKS: Record<string, string[]> = {
  qcx: ['l SLOPE_LOW', 'l SLOPE_HIGH'],
};

/**
 * TX meters that Hamlib's FT-817/818 backend reads only while the radio is keyed: unkeyed it answers
 * "Command rejected by the rig" without sending anything (ft817.c ft817_get_tx_level, "rig not keyed").
 * They are read keyed, as a program reads them during a transmission, and the radio unkeyed after.
 */
const TX_METERS_817 = ['l RFPOWER', 'l SWR', 'l ALC'];
const READ_KEYED: Record<string, string[]> = { ft817: TX_METERS_817, ft818: TX_METERS_817 };

describeWithTools(['rigctl', 'stdbuf'], 'level and function reads through real Hamlib', () => {
  const rig = useContractRig('sim', () =>
    MODELS.map(([name]) => ({
      name,
      rig: name,
      backend: 'radio',
      extra: OVER_TCP.includes(name) ? { transport: 'tcp', tcp: '127.0.0.1:0' } : undefined,
    })),
  );

  for (const [name, model, strengthTolerance] of MODELS) {
    it(`${name} (Hamlib ${model}): every read answers, or is one Hamlib does not offer for it`, async () => {
      const client = await RigctlSession.open(model, rig.harness.address(name));
      try {
        const answered: string[] = [];
        const keyedReads = READ_KEYED[name] ?? [];
        for (const read of new Set([...READS, ...(POLLED_INSTEAD[name] ?? [])])) {
          if (keyedReads.includes(read)) continue;
          const reply = await client.cmd(read);
          if (reply.ok) answered.push(read);
          else if (!RADIO_LACKS[name]?.includes(read))
            expect(reply.raw, `${name}: ${read}`).toMatch(NOT_IN_HAMLIB);
        }
        if (keyedReads.length > 0) {
          try {
            expect((await client.cmd('T 1')).ok).toBe(true);
            await until(() => rig.radio.ptt(), 2000, `${name}: radio keyed`);
            for (const read of keyedReads) {
              const reply = await client.cmd(read);
              expect(reply.ok, `${name}: ${read} while keyed: ${reply.raw}`).toBe(true);
              answered.push(read);
            }
          } finally {
            await client.cmd('T 0');
          }
          await until(
            async () => !(await rig.radio.ptt()),
            2000,
            `${name}: radio unkeyed after the keyed reads`,
          );
        }
        if (strengthTolerance !== null) {
          // STRENGTH is the radio's signal through Hamlib's own calibration for the model.
          const shared = rig.harness.rig('radio');
          let compared = 0;
          for (let i = 0; i < 10 && compared < 3; i++) {
            const before = shared.radioState().strengthDb;
            const reply = await client.cmd('l STRENGTH');
            if (shared.radioState().strengthDb !== before) continue; // the simulated signal moved meanwhile
            expect(
              Math.abs(Number(reply.values[0]) - before),
              `${name} STRENGTH at ${before} dB`,
            ).toBeLessThanOrEqual(strengthTolerance);
            compared++;
          }
          expect(compared).toBeGreaterThan(0);
        }
        // The meters WSJT-X polls are always there (where Hamlib has them for the model).
        expect(answered).toEqual(expect.arrayContaining(POLLED_INSTEAD[name] ?? POLLED));
      } finally {
        await client.close();
      }
    });
  }
});
