import { afterAll, beforeAll, expect, it } from 'vitest';
import { RigctldBackend } from '../../src/gateway/backends/rigctld-backend.js';
import type { SimBackend } from '../../src/gateway/backends/sim-backend.js';
import { GatewayHarness, until } from '../support/gateway-harness.js';
import { Rigctld } from '../support/rigctld.js';
import { describeWithTools } from '../support/tools.js';

/**
 * rigctld driving a real Hamlib model over a serial line (the radio is catbridge's simulator on an
 * emulated IC-7300 port): Hamlib's IC-7300 has no get_vfo, so `v` answers RPRT -11. Reads must still
 * work — before, every read failed on it and a radio behind such a rigctld was never read.
 */
describeWithTools(['rigctld'], 'rigctld with a real IC-7300 model behind it', () => {
  let radio: GatewayHarness;
  let rigctld: Rigctld;
  let backend: RigctldBackend;

  beforeAll(async () => {
    radio = await GatewayHarness.start({ sim: { type: 'sim' } }, [
      { name: 'line', rig: 'ic7300', backend: 'sim' },
    ]);
    rigctld = await Rigctld.start({ model: 3073, ptt: null, extraArgs: ['-r', radio.links.line!] });
    backend = new RigctldBackend({ host: rigctld.host, port: rigctld.port });
    await backend.connect();
  });
  afterAll(async () => {
    await backend?.close();
    await rigctld?.kill();
    await radio?.stop();
  });

  it('reads the radio though rigctld cannot say which VFO it is on', async () => {
    expect(backend.info?.hasGetVfo).toBe(false);
    const sim = radio.rig('sim').backend as unknown as SimBackend;
    sim.simulateRadioChange({ freqA: 7_074_000, mode: 'PKTUSB' });
    // rigctld keeps Hamlib's own cache (500 ms by default) in front of the radio.
    await until(async () => (await backend.read()).freqA === 7_074_000, 2000, 'the change read');
    expect(await backend.read()).toMatchObject({ vfo: 'VFOA', freqA: 7_074_000, mode: 'PKTUSB' });
    const onlyVfoA = await backend.read({ groups: new Set(['vfo', 'vfoA']) });
    expect(onlyVfoA.freqA).toBe(7_074_000);
  });

  it('a VFO it selected is the VFO it reports', async () => {
    await backend.selectVfo('VFOB');
    await until(async () => (await backend.read({ groups: new Set(['vfo']) })).vfo === 'VFOB', 2000, 'VFO B');
    await backend.selectVfo('VFOA');
  });
});
