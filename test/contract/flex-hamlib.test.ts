/**
 * Contract: the FLEX-6000 (SmartSDR CAT) profile, which Hamlib 4.5.4 reaches only over the network
 * (`rigctl -m 2036 -u`: "Port type: Network link"), served on a port's CAT-over-TCP door and driven by the
 * real `rigctl -m 2036 -r 127.0.0.1:<port>` against a real `rigctld -m 1` and against the built-in sim.
 * Asserted both ways: what Hamlib reads back, and what the radio behind the gateway ended up with.
 */
import { expect, it } from 'vitest';
import { until } from '../support/gateway-harness.js';
import { RigctlSession } from '../support/rigctl-session.js';
import { describeWithTools } from '../support/tools.js';
import { driveModel, REACH_RADIO_MS } from './hamlib-scenario.js';
import { useContractRig } from './radio-side.js';

function flexSuite(kind: 'rigctld' | 'sim'): void {
  const rig = useContractRig(kind, () => [
    { name: 'flex', rig: 'flex6000', backend: 'radio', extra: { transport: 'tcp', tcp: '127.0.0.1:0' } },
  ]);
  const address = () => rig.harness.address('flex');

  it('FLEX-6000: Hamlib model 2036 over TCP drives frequency, modes (DIGU/DIGL), PTT, split and VFOs', async () => {
    const client = await RigctlSession.open(2036, address());
    try {
      await driveModel(client, rig.radio, { dataMode: true, vfoSelect: true });
      // DIGL is the Flex's MD6: PKTLSB at the radio, with a width from the ZZFI table.
      expect((await client.cmd('M PKTLSB 1500')).ok).toBe(true);
      expect((await client.cmd('m')).values).toEqual(['PKTLSB', '1500']);
      await until(
        async () => (await rig.radio.mode('VFOA')).mode === 'PKTLSB',
        REACH_RADIO_MS,
        'radio PKTLSB',
      );
      // Every level Hamlib offers for the 6xxx answers (F6K_LEVEL_ALL: keyer speed and the filter slopes).
      expect((await client.cmd('l KEYSPD')).values).toEqual(['20']);
      for (const level of ['l SLOPE_HIGH', 'l SLOPE_LOW']) {
        const reply = await client.cmd(level);
        expect(reply.ok, `${level}: ${reply.raw}`).toBe(true);
      }
    } finally {
      await client.close();
    }
  });
}

describeWithTools(
  ['rigctl', 'rigctld', 'stdbuf'],
  'FLEX-6000 through real Hamlib on a CAT-over-TCP door, rigctld backend',
  () => flexSuite('rigctld'),
);
describeWithTools(
  ['rigctl', 'stdbuf'],
  'FLEX-6000 through real Hamlib on a CAT-over-TCP door, sim backend',
  () => flexSuite('sim'),
);
