/**
 * Transmit safety and backend loss with real programs: real Hamlib rigctl clients on real ptys, a real
 * rigctld (Hamlib's dummy radio) behind a TCP proxy that can slow down or cut the link while rigctld
 * itself keeps running — so what the radio ends up with is read from rigctld directly.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FaultyProxy } from '../support/faulty-proxy.js';
import { GatewayHarness, until } from '../support/gateway-harness.js';
import { RigctlSession } from '../support/rigctl-session.js';
import { Rigctld } from '../support/rigctld.js';
import { describeWithTools } from '../support/tools.js';
import { REACH_RADIO_MS } from './hamlib-scenario.js';
import { type RadioSide, rigctldSide } from './radio-side.js';

/** Hamlib's frontend cache: a read within this long of the last one is answered by rigctl itself. */
const HAMLIB_CACHE_MS = 600;
const GRACE_MS = 1500;

describeWithTools(
  ['rigctl', 'rigctld', 'stdbuf'],
  'transmit safety and backend loss through real Hamlib',
  () => {
    let rigctld: Rigctld;
    let proxy: FaultyProxy;
    let harness: GatewayHarness;
    let radio: RadioSide;

    beforeAll(async () => {
      rigctld = await Rigctld.start();
      proxy = await FaultyProxy.start(rigctld.port);
      harness = await GatewayHarness.start(
        { radio: { type: 'rigctld', address: `127.0.0.1:${proxy.port}`, grace_ms: GRACE_MS } },
        [
          { name: 'ts2000', rig: 'ts2000', backend: 'radio' },
          { name: 'ic7300', rig: 'ic7300', backend: 'radio' },
          { name: 'logger', rig: 'ts2000', backend: 'radio', extra: { readonly: true } },
          { name: 'noptt', rig: 'ic7300', backend: 'radio', extra: { ptt: { allow: false } } },
        ],
      );
      radio = rigctldSide(rigctld.port);
    });

    afterAll(async () => {
      await harness?.stop();
      await proxy?.close();
      await rigctld?.kill();
    });

    it('one transmitter at a time: a second PTT-on is refused on the wire (Icom NG, Kenwood ?; and its verify)', async () => {
      const kenwood = await RigctlSession.open(2014, harness.links.ts2000!);
      const icom = await RigctlSession.open(3073, harness.links.ic7300!);
      try {
        expect((await kenwood.cmd('T 1')).ok).toBe(true);
        await until(() => radio.ptt(), REACH_RADIO_MS, 'radio keyed by the TS-2000 port');
        // Icom: NG, which Hamlib reports at once.
        const refused = await icom.cmd('T 1');
        expect(refused.ok).toBe(false);
        expect(refused.ms).toBeLessThan(500);
        // A stray unkey from the other port does not end the transmission.
        await icom.cmd('T 0');
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(await radio.ptt()).toBe(true);
        expect((await kenwood.cmd('T 0')).ok).toBe(true);
        await until(async () => !(await radio.ptt()), REACH_RADIO_MS, 'radio unkeyed');

        // The other way round: the Kenwood port is refused with ?; to TX; and to the ID; that verifies it.
        expect((await icom.cmd('T 1')).ok).toBe(true);
        await until(() => radio.ptt(), REACH_RADIO_MS, 'radio keyed by the IC-7300 port');
        expect((await kenwood.cmd('T 1')).ok).toBe(false);
        expect((await icom.cmd('T 0')).ok).toBe(true);
        await until(async () => !(await radio.ptt()), REACH_RADIO_MS, 'radio unkeyed again');
      } finally {
        await kenwood.close();
        await icom.close();
      }
    });

    it('a readonly port reads but never moves the radio; a port with ptt.allow: false never keys it', async () => {
      const logger = await RigctlSession.open(2014, harness.links.logger!);
      const noptt = await RigctlSession.open(3073, harness.links.noptt!);
      try {
        const before = await radio.freq('VFOA');
        expect((await logger.cmd('f')).values).toEqual([String(before)]);
        expect((await logger.cmd('F 7000000')).ok).toBe(false);
        expect((await logger.cmd('T 1')).ok).toBe(false);
        expect((await noptt.cmd('T 1')).ok).toBe(false);
        // noptt may still tune.
        expect((await noptt.cmd('F 14074500')).ok).toBe(true);
        await until(async () => (await radio.freq('VFOA')) === 14_074_500, REACH_RADIO_MS, 'noptt tuned');
        expect(await radio.ptt()).toBe(false);
      } finally {
        await logger.close();
        await noptt.close();
      }
    });

    it('with a slow backend, frequency and split writes reach the radio before the PTT-on that follows them', async () => {
      const shared = harness.rig('radio');
      const confirmed: string[] = [];
      const onWrite = (e: { value: { field: string }; ok: boolean }) => {
        if (e.ok) confirmed.push(e.value.field);
      };
      shared.on('write', onWrite);
      const client = await RigctlSession.open(2014, harness.links.ts2000!);
      proxy.delayMs = 150;
      proxy.mode = 'slow';
      try {
        // WSJT-X's split transmit: frequency, split with its TX frequency, then PTT, back to back.
        await client.cmd('F 14074000');
        await client.cmd('S 1 VFOB');
        await client.cmd('I 14075500');
        expect((await client.cmd('T 1')).ok).toBe(true);
        await until(() => confirmed.includes('ptt'), 5000, 'PTT confirmed');
        expect(confirmed.indexOf('ptt')).toBeGreaterThan(confirmed.indexOf('split'));
        expect(confirmed.indexOf('ptt')).toBeGreaterThan(confirmed.lastIndexOf('freqB'));
        proxy.mode = 'pass';
        await client.cmd('T 0');
        await client.cmd('S 0 VFOA');
        await until(
          async () => !(await radio.ptt()) && !(await radio.split()).on,
          2000,
          'back to RX, no split',
        );
      } finally {
        proxy.mode = 'pass';
        shared.off('write', onWrite);
        await client.close();
      }
    });

    it('backend lost while keyed: PTT off for the ports at once, cache within grace then errors, radio unkeyed first thing on reconnect', async () => {
      const client = await RigctlSession.open(2014, harness.links.ts2000!);
      try {
        expect((await client.cmd('T 1')).ok).toBe(true);
        await until(() => radio.ptt(), REACH_RADIO_MS, 'radio keyed');
        proxy.cut();
        const lost = Date.now();
        // rigctld itself still transmits: only the gateway's link is gone.
        expect(await radio.ptt()).toBe(true);
        await until(() => !harness.rig('radio').backend.connected, 1000, 'link loss noticed');
        // Within the grace period the port still answers from the cache, and no longer shows TX.
        await new Promise((resolve) => setTimeout(resolve, HAMLIB_CACHE_MS));
        expect(Date.now() - lost).toBeLessThan(GRACE_MS);
        expect((await client.cmd('t')).values).toEqual(['0']);
        await until(() => Date.now() - lost > GRACE_MS + 100, GRACE_MS + 1000);
        await new Promise((resolve) => setTimeout(resolve, HAMLIB_CACHE_MS));
        // Past it, the port says ?; so Hamlib reports an error instead of an old frequency.
        expect((await client.cmd('f', 15_000)).ok).toBe(false);
        proxy.restore();
        const back = Date.now();
        await until(async () => !(await radio.ptt()), 2000, 'radio unkeyed after reconnect');
        await until(
          async () => {
            await new Promise((resolve) => setTimeout(resolve, HAMLIB_CACHE_MS));
            return (await client.cmd('f')).ok;
          },
          2000 + HAMLIB_CACHE_MS,
          'answers again',
        );
        expect(Date.now() - back).toBeLessThan(2000 + 2 * HAMLIB_CACHE_MS);
      } finally {
        proxy.restore();
        await client.close();
      }
    }, 60_000);
  },
);
