/**
 * Contract: the flrig backend against a real flrig 1.4.7, headless under Xvfb, configured through its
 * prefs files. flrig's radio is itself a catbridge port (an IC-7300 with CI-V echo, on the built-in
 * simulator), so the whole chain is real programs: Hamlib rigctl → catbridge port → flrig backend →
 * flrig XML-RPC → flrig's IC-7300 driver → catbridge IC-7300 port → simulated radio. flrig's TS-2000
 * driver has no data modes, so the data-mode case runs with flrig driving the IC-7300 (`USB-D`).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SimBackend } from '../../src/gateway/backends/sim-backend.js';
import { Flrig } from '../support/flrig.js';
import { GatewayHarness, until } from '../support/gateway-harness.js';
import { RigctlSession } from '../support/rigctl-session.js';
import { freePort } from '../support/rigctld.js';
import { describeWithTools } from '../support/tools.js';
import { driveModel, REACH_RADIO_MS } from './hamlib-scenario.js';
import { type RadioSide, simSide } from './radio-side.js';

/** Hamlib's frontend cache: a read within this long of the last one is answered by rigctl itself. */
const HAMLIB_CACHE_MS = 600;

describeWithTools(
  ['flrig', 'Xvfb', 'rigctl', 'stdbuf'],
  'flrig backend through real flrig and real Hamlib',
  () => {
    let flrig: Flrig;
    let harness: GatewayHarness;
    let radio: RadioSide;

    beforeAll(async () => {
      const port = await freePort();
      harness = await GatewayHarness.start(
        { sim: { type: 'sim' }, flrig: { type: 'flrig', address: `127.0.0.1:${port}` } },
        [
          // The radio flrig drives.
          { name: 'flrig-radio', rig: 'ic7300', backend: 'sim', extra: { echo: true } },
          // What programs use, on the flrig backend.
          { name: 'ts2000', rig: 'ts2000', backend: 'flrig' },
          { name: 'ic7300', rig: 'ic7300', backend: 'flrig' },
        ],
      );
      flrig = await Flrig.start({
        xcvr: 'IC-7300',
        device: harness.links['flrig-radio']!,
        civAddress: 0x94,
        echo: true,
        port,
      });
      radio = simSide(harness.rig('sim').backend as unknown as SimBackend);
      await until(() => harness.rig('flrig').backend.connected, 5000, 'flrig backend connected');
    }, 30_000);

    afterAll(async () => {
      await harness?.stop();
      await flrig?.stop();
    });

    it('TS-2000 port (Hamlib 2014): frequency, modes, PTT, split and VFOs reach the radio behind flrig', async () => {
      const client = await RigctlSession.open(2014, harness.links.ts2000!);
      try {
        await driveModel(client, radio, { dataMode: false, vfoSelect: true });
      } finally {
        await client.close();
      }
    });

    it('IC-7300 port (Hamlib 3073): the same, with PKTUSB through flrig as USB-D', async () => {
      const client = await RigctlSession.open(3073, harness.links.ic7300!);
      try {
        await driveModel(client, radio, { dataMode: true, vfoSelect: true });
        // flrig itself shows the data mode under its own name.
        await client.cmd('M PKTUSB 3000');
        await until(
          async () => (await flrig.get('rig.get_modeA')) === 'USB-D',
          REACH_RADIO_MS,
          'flrig USB-D',
        );
        await client.cmd('M USB 2400');
      } finally {
        await client.close();
      }
    });

    it('survives a flrig crash and restart: no client hangs, PTT is off, recovery within 2 s of flrig', async () => {
      const client = await RigctlSession.open(2014, harness.links.ts2000!);
      const backend = harness.rig('flrig').backend;
      // Reads are spaced past Hamlib's own 500 ms cache (research/hamlib.md §2.3) so each reaches the port.
      const read = async (line: string) => {
        await new Promise((resolve) => setTimeout(resolve, HAMLIB_CACHE_MS));
        return client.cmd(line, 5000);
      };
      try {
        expect((await client.cmd('T 1')).ok).toBe(true);
        await until(() => radio.ptt(), REACH_RADIO_MS, 'radio keyed');
        await flrig.kill();
        // flrig's end of the radio port closed: the radio is unkeyed within 1 s.
        await until(async () => !(await radio.ptt()), 1000, 'radio unkeyed after flrig died');
        await until(() => !backend.connected, 2000, 'backend saw flrig go');
        // The client keeps getting answers (cache during grace, then errors), never a hang, and no
        // longer sees itself transmitting.
        for (let i = 0; i < 4; i++) expect((await read('f')).ms).toBeLessThan(5000);
        expect((await read('t')).values).not.toEqual(['1']);
        await radio.setFreqA(10_136_000);
        await flrig.spawn();
        const back = Date.now();
        await until(() => backend.connected, 2000, 'backend reconnected');
        await until(
          async () => (await read('f')).values[0] === '10136000',
          2000 + HAMLIB_CACHE_MS,
          'fresh value after restart',
        );
        expect(Date.now() - back).toBeLessThan(2000 + 2 * HAMLIB_CACHE_MS);
        expect(await radio.ptt()).toBe(false);
        expect((await read('t')).values).toEqual(['0']);
      } finally {
        await client.close();
      }
    }, 60_000);
  },
);
