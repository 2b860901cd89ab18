/**
 * The operations WSJT-X and fldigi need (research/hamlib.md §2.4), driven through a real Hamlib
 * `rigctl` on an emulated port and asserted both ways: what Hamlib reads back, and what the radio
 * behind the gateway ended up with. Shared by every family's contract test.
 */
import { expect } from 'vitest';
import { until } from '../support/gateway-harness.js';
import type { RigctlSession } from '../support/rigctl-session.js';
import type { RadioSide } from './radio-side.js';

export interface ScenarioCase {
  /** The model has a data mode Hamlib can set (PKTUSB). */
  dataMode: boolean;
  /** Hamlib's backend selects VFOs on the wire (`V VFOB` reaches the radio). */
  vfoSelect: boolean;
  /** How this Hamlib backend names VFO A and B (`Main`/`Sub` on the dual-receiver models). */
  vfoNames?: [string, string];
  /** Hamlib keys this model by CAT (false: the IC-706MkIIG, whose backend has no CAT PTT: `T` is "Invalid parameter"). */
  ptt?: boolean;
  /** Hamlib offers split for this model (false: the Xiegu G90, `S` is "Feature not available"). */
  split?: boolean;
}

/** A write that is not reverted reaches the radio within settle_ms (150) plus a round trip; polls add slack. */
export const REACH_RADIO_MS = 1000;

export async function driveModel(
  client: RigctlSession,
  radio: RadioSide,
  model: ScenarioCase,
): Promise<void> {
  const [nameA, nameB] = model.vfoNames ?? ['VFOA', 'VFOB'];
  const expectOk = async (line: string) => {
    const reply = await client.cmd(line);
    expect(reply.ok, `${line}: ${reply.raw}`).toBe(true);
    return reply.values;
  };

  // Frequency to 1 Hz, both ways.
  await expectOk('F 14074123');
  expect(await expectOk('f')).toEqual(['14074123']);
  await until(async () => (await radio.freq('VFOA')) === 14_074_123, REACH_RADIO_MS, 'radio freq');

  // A change made at the radio reaches the client within 2 s.
  await radio.setFreqA(7_074_000);
  await until(async () => (await client.cmd('f')).values[0] === '7074000', 2000, 'radio-side change seen');

  // Modes.
  await expectOk('M CW 500');
  expect((await expectOk('m'))[0]).toBe('CW');
  await until(async () => (await radio.mode('VFOA')).mode === 'CW', REACH_RADIO_MS, 'radio mode CW');
  await expectOk('M USB 2400');
  expect((await expectOk('m'))[0]).toBe('USB');
  await until(async () => (await radio.mode('VFOA')).mode === 'USB', REACH_RADIO_MS, 'radio mode USB');
  if (model.dataMode) {
    await expectOk('M PKTUSB 3000');
    expect(await expectOk('m')).toEqual(['PKTUSB', expect.stringMatching(/^\d+$/)]);
    await until(async () => (await radio.mode('VFOA')).mode === 'PKTUSB', REACH_RADIO_MS, 'radio PKTUSB');
    await expectOk('M USB 2400');
    await until(async () => (await radio.mode('VFOA')).mode === 'USB', REACH_RADIO_MS, 'radio back to USB');
  }

  // PTT on and off.
  if (model.ptt !== false) await pttOnOff(expectOk, radio);
  else await expectHamlibRefuses(client, 'T 1', /Invalid parameter/, async () => !(await radio.ptt()));
  if (model.split !== false) await splitOnOff(expectOk, radio, nameA, nameB);
  else
    await expectHamlibRefuses(
      client,
      `S 1 ${nameB}`,
      /Feature not available/,
      async () => !(await radio.split()).on,
    );

  // VFO A/B, where Hamlib's backend selects VFOs on the wire.
  if (model.vfoSelect) {
    await expectOk(`V ${nameB}`);
    await until(async () => (await radio.vfo()) === 'VFOB', REACH_RADIO_MS, 'radio on VFO B');
    await expectOk(`V ${nameA}`);
    await until(async () => (await radio.vfo()) === 'VFOA', REACH_RADIO_MS, 'radio back on VFO A');
  }
}

type ExpectOk = (line: string) => Promise<string[]>;

/** What Hamlib itself refuses for a model fails before reaching the port, and the radio stays as it was. */
async function expectHamlibRefuses(
  client: RigctlSession,
  line: string,
  error: RegExp,
  radioUnchanged: () => Promise<boolean>,
): Promise<void> {
  const reply = await client.cmd(line);
  expect(reply.ok, `${line}: ${reply.raw}`).toBe(false);
  expect(reply.raw).toMatch(error);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await radioUnchanged()).toBe(true);
}

async function pttOnOff(expectOk: ExpectOk, radio: RadioSide): Promise<void> {
  await expectOk('T 1');
  expect(await expectOk('t')).toEqual(['1']);
  await until(() => radio.ptt(), REACH_RADIO_MS, 'radio keyed');
  await expectOk('T 0');
  expect(await expectOk('t')).toEqual(['0']);
  await until(async () => !(await radio.ptt()), REACH_RADIO_MS, 'radio unkeyed');
}

async function splitOnOff(expectOk: ExpectOk, radio: RadioSide, nameA: string, nameB: string): Promise<void> {
  // Split on with a TX frequency, then off.
  await expectOk(`S 1 ${nameB}`);
  await expectOk('I 14076500');
  expect(await expectOk('s')).toEqual(['1', nameB]);
  expect(await expectOk('i')).toEqual(['14076500']);
  // The TX VFO too is waited for: the FT-817 family's Hamlib sets the TX frequency by toggling VFOs
  // (`81`, set, `81`), each toggle moving the TX VFO with it; on a loaded machine the settle window may
  // let the first toggle's writes go before the second's, so the radio reaches TX = VFO B a step later.
  await until(
    async () => {
      const split = await radio.split();
      return split.on && split.txVfo === 'VFOB' && (await radio.freq('VFOB')) === 14_076_500;
    },
    REACH_RADIO_MS,
    'radio split on, TX VFO B at 14076500',
  );
  await expectOk(`S 0 ${nameA}`);
  expect((await expectOk('s'))[0]).toBe('0');
  await until(async () => !(await radio.split()).on, REACH_RADIO_MS, 'radio split off');
}
