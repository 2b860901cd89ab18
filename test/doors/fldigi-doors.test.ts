/**
 * fldigi 4.1.23 through catbridge's doors, a real `rigctld -m 1` behind: with its own flrig client
 * (Configure → Rig control → flrig) on the flrig door, and with Hamlib "NET rigctl" on the rigctld door. fldigi shows the radio's frequency, follows a QSY at the
 * radio, moves the radio, keys and unkeys it, and a SIGTERM while transmitting leaves it unkeyed.
 * fldigi's view is read through its own XML-RPC server (test/scenarios/programs helpers). Heavy on
 * two cores: run it alone.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RadioSide, rigctldSide } from '../contract/radio-side.js';
import { Fldigi } from '../scenarios/programs/fldigi.js';
import { sleep, withScreenshot, XDisplay } from '../scenarios/programs/x-display.js';
import { GatewayHarness, until } from '../support/gateway-harness.js';
import { Rigctld } from '../support/rigctld.js';
import { describeWithTools } from '../support/tools.js';

// Not 14.070 MHz: that is what fldigi shows before it has read any radio.
const START_HZ = 14_080_000;
const QSY_HZ = 7_040_000;
const SET_HZ = 10_142_000;

/**
 * fldigi's own flrig client on the flrig door, and fldigi's Hamlib "NET rigctl" (model 2, device
 * `127.0.0.1:<door>`) on the rigctld door. The latter once failed here before any connection: the
 * harness gave fldigi `dtr_state=Unset,rts_state=Unset` as Hamlib config, which Hamlib refuses for a
 * network rig, and fldigi abandons the open on a refused setting (see programs/fldigi.ts).
 */
const ROUTES = [
  { route: 'flrig door', door: 'fl', flrig: true },
  { route: 'rigctld door', door: 'hamlib', flrig: false },
] as const;

for (const route of ROUTES) {
  describeWithTools(
    ['rigctld', 'fldigi', 'Xvfb', 'import'],
    `fldigi 4.1.23 through the ${route.route}`,
    () => {
      const env = {} as {
        rigctld: Rigctld;
        harness: GatewayHarness;
        x: XDisplay;
        radio: RadioSide;
        f: Fldigi;
      };
      const door = () => env.harness.gateway.servers.find((s) => s.config.name === route.door)!;
      const check = <T>(what: string, fn: () => Promise<T>) =>
        withScreenshot(env.x, `fldigi-${route.door}-door-${what}`, fn);

      beforeAll(async () => {
        env.rigctld = await Rigctld.start();
        env.radio = rigctldSide(env.rigctld.port);
        await env.radio.setFreqA(START_HZ);
        env.harness = await GatewayHarness.start(
          { radio: { type: 'rigctld', address: `127.0.0.1:${env.rigctld.port}` } },
          [{ name: 'ts2000', rig: 'ts2000', backend: 'radio' }],
          {
            fl: { type: 'flrig', listen: '127.0.0.1:0', backend: 'radio' },
            hamlib: { type: 'rigctld', listen: '127.0.0.1:0', backend: 'radio' },
          },
        );
        env.x = await XDisplay.start();
        const address = `127.0.0.1:${door().port}`;
        env.f = await Fldigi.start(env.x, {
          hamlibModel: route.flrig ? 1 : 2,
          hamlibName: route.flrig ? '' : 'Hamlib NET rigctl',
          device: route.flrig ? '' : address,
          baud: 9600,
          stopBits: 1,
          ...(route.flrig ? { flrig: address } : {}),
        });
      }, 60_000);
      afterAll(async () => {
        await env.f?.dispose();
        await env.harness?.stop();
        await env.rigctld?.kill();
        await env.x?.stop();
      }, 30_000);

      it('shows the radio frequency and leaves the radio where it was', async () => {
        await check('start', async () => {
          await until(
            async () => (await env.f.frequency()) === START_HZ,
            40_000,
            `fldigi frequency = ${START_HZ}`,
          );
          await sleep(3000);
          expect(await env.radio.freq('VFOA')).toBe(START_HZ);
          expect(await env.radio.ptt()).toBe(false);
          // It is this door fldigi reads through: a client of its server.
          expect(door().clients.size, `fldigi: ${env.f.log.slice(-800)}`).toBeGreaterThan(0);
        });
      }, 60_000);

      it('follows a QSY made at the radio, and moves the radio to a frequency set in fldigi', async () => {
        await check('qsy', async () => {
          await env.radio.setFreqA(QSY_HZ);
          await until(async () => (await env.f.frequency()) === QSY_HZ, 5000, `fldigi follows to ${QSY_HZ}`);
          await env.f.call('main.set_frequency', { double: SET_HZ });
          await until(async () => (await env.radio.freq('VFOA')) === SET_HZ, 5000, `radio at ${SET_HZ}`);
          await sleep(2000);
          expect(await env.radio.freq('VFOA')).toBe(SET_HZ);
        });
      }, 30_000);

      it('T/R keys the radio and unkeys it; SIGTERM while transmitting leaves it unkeyed', async () => {
        await check('ptt', async () => {
          await env.f.call('main.tx');
          await until(() => env.radio.ptt(), 5000, 'radio keyed after main.tx');
          await env.f.call('main.rx');
          await until(async () => !(await env.radio.ptt()), 5000, 'radio unkeyed after main.rx');
          await sleep(1000);
          // fldigi ignores main.tx while its T/R button still reads as pressed: repeat while not in TX.
          await until(
            async () => {
              if ((await env.f.trxState()) !== 'TX') await env.f.call('main.tx');
              return env.radio.ptt();
            },
            8000,
            'radio keyed again',
          );
          env.f.child.kill('SIGTERM');
          await until(async () => !(await env.radio.ptt()), 2000, 'radio unkeyed after SIGTERM');
        });
      }, 40_000);
    },
  );
}
