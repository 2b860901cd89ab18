/**
 * A gateway whose rigctld is not there yet: its port is silent, like a radio that is switched off,
 * rather than answering with defaults nobody read; once rigctld comes up the port answers.
 */
import { afterAll, expect, it } from 'vitest';
import { GatewayHarness, until } from '../support/gateway-harness.js';
import { exchange } from '../support/port-exchange.js';
import { Rigctld } from '../support/rigctld.js';
import { describeWithTools } from '../support/tools.js';

const ask = (device: string, command: string, ms: number) => exchange(device, command, ms);

describeWithTools(['rigctld'], 'a port whose radio was never reached', () => {
  let rigctld: Rigctld;
  let harness: GatewayHarness;
  afterAll(async () => {
    await harness?.stop();
    await rigctld?.kill();
  });

  it('stays silent until rigctld answers, then answers from the radio', async () => {
    rigctld = await Rigctld.start();
    await rigctld.kill(); // its port is now known and closed
    harness = await GatewayHarness.start(
      { shack: { type: 'rigctld', address: `127.0.0.1:${rigctld.port}` } },
      [{ name: 'ts2000', rig: 'ts2000', backend: 'shack' }],
    );
    const link = harness.links.ts2000!;
    expect(await ask(link, 'FA;', 400)).toBe('');
    // Left unanswered: held for a read of the radio after the open, which cannot come.
    const { silencedBytes, unansweredAtOpen } = harness.session('ts2000').stats;
    expect(silencedBytes + unansweredAtOpen).toBeGreaterThan(0);
    await rigctld.spawn();
    await until(async () => (await ask(link, 'ID;', 300)) === 'ID019;', 10_000, 'port answers');
    // The dummy radio starts on 145 MHz: the answer is the radio's, not a default.
    expect(await ask(link, 'FA;', 300)).toBe('FA00145000000;');
  });
});
