/**
 * A frequency the radio behind cannot tune is refused in the dialect's own way (a Kenwood answers ?; to the set and to the ID; that verifies it) and never sent; what it
 * can tune passes even where the emulated model could not (an HF model's port on a radio with 2 m).
 * The radio is a real `rigctld -m 1`, whose `\dump_state` says 150 kHz – 1.5 GHz.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GatewayHarness, until } from '../support/gateway-harness.js';
import { exchange } from '../support/port-exchange.js';
import { Rigctld, rigctlCmd } from '../support/rigctld.js';
import { describeWithTools } from '../support/tools.js';
import { rigctldSide } from './radio-side.js';

describeWithTools(['rigctld'], 'frequencies the radio behind cannot tune', () => {
  let rigctld: Rigctld;
  let harness: GatewayHarness;
  beforeAll(async () => {
    rigctld = await Rigctld.start();
    await rigctlCmd(rigctld.port, 'F 14074000');
    harness = await GatewayHarness.start(
      { shack: { type: 'rigctld', address: `127.0.0.1:${rigctld.port}` } },
      [{ name: 'ts480', rig: 'ts480', backend: 'shack' }],
    );
    await until(() => harness.rig('shack').radioKnown, 10_000, 'radio read');
  });
  afterAll(async () => {
    await harness?.stop();
    await rigctld?.kill();
  });

  const radioFreq = () => rigctldSide(rigctld.port).freq('VFOA');

  it('99.999 GHz and 1 Hz are refused with ?; and never reach the radio', async () => {
    const link = harness.links.ts480!;
    expect(await exchange(link, 'FA99999999999;ID;', 1000, '?;?;')).toBe('?;?;');
    expect(await exchange(link, 'FA00000000001;ID;', 1000, '?;?;')).toBe('?;?;');
    await new Promise((resolve) => setTimeout(resolve, 400)); // past the settle window
    expect(await radioFreq()).toBe(14_074_000);
    expect(harness.rig('shack').status().writes).toBe(0);
  });

  it('2 m through a TS-480 port (an HF model) reaches a radio that has 2 m', async () => {
    const link = harness.links.ts480!;
    const answer = await exchange(link, 'FA00145500000;ID;', 1000, 'ID020;');
    expect(answer).toBe('ID020;');
    await until(async () => (await radioFreq()) === 145_500_000, 1000, 'radio on 145.5 MHz');
  });
});
