/**
 * WSJT-X 2.6.1, as a ham sets it up for a network rig, through catbridge's doors to a real
 * `rigctld -m 1`: Rig "Hamlib NET rigctl" with Network Server = the rigctld door, and Rig "FLRig FLRig"
 * with Network Server = the flrig door; PTT via CAT, polling every second. WSJT-X's view comes from its
 * UDP Status messages; keys are driven with xdotool on Xvfb (test/scenarios/programs helpers). Heavy on
 * two cores: run it alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RadioSide, rigctldSide } from '../contract/radio-side.js';
import { Wsjtx } from '../scenarios/programs/wsjtx.js';
import { sleep, withScreenshot, XDisplay } from '../scenarios/programs/x-display.js';
import { GatewayHarness, until } from '../support/gateway-harness.js';
import { Rigctld } from '../support/rigctld.js';
import { describeWithTools } from '../support/tools.js';

const DOORS = [
  { door: 'hamlib', rig: 'Hamlib NET rigctl', start: 14_074_000, qsy: 7_074_000, set: 10_136_000 },
  { door: 'fl', rig: 'FLRig FLRig', start: 14_080_000, qsy: 7_047_500, set: 18_100_000 },
] as const;
/** WSJT-X polls every 1 s; the gateway's poller adds its own period on top. */
const FOLLOW_MS = 5000;
const START_MS = 40_000;

describeWithTools(
  ['rigctld', 'wsjtx', 'jt9', 'Xvfb', 'xdotool', 'import'],
  'WSJT-X 2.6.1 through the doors',
  () => {
    const env = {} as { rigctld: Rigctld; harness: GatewayHarness; x: XDisplay; radio: RadioSide };
    beforeAll(async () => {
      env.rigctld = await Rigctld.start();
      env.radio = rigctldSide(env.rigctld.port);
      env.harness = await GatewayHarness.start(
        { radio: { type: 'rigctld', address: `127.0.0.1:${env.rigctld.port}` } },
        [{ name: 'ts2000', rig: 'ts2000', backend: 'radio' }],
        {
          hamlib: { type: 'rigctld', listen: '127.0.0.1:0', backend: 'radio' },
          fl: { type: 'flrig', listen: '127.0.0.1:0', backend: 'radio' },
        },
      );
      env.x = await XDisplay.start();
    }, 60_000);
    afterAll(async () => {
      await env.harness?.stop();
      await env.rigctld?.kill();
      await env.x?.stop();
    }, 30_000);

    for (const plan of DOORS) {
      describe(plan.rig, () => {
        let w: Wsjtx | undefined;
        const check = <T>(what: string, fn: () => Promise<T>) =>
          withScreenshot(env.x, `wsjtx-door-${plan.door}-${what}`, fn);
        const need = () => {
          if (!w?.running) throw new Error(`WSJT-X (${plan.rig}) is not running: ${w?.log.slice(-400)}`);
          return w;
        };
        beforeAll(async () => {
          await env.radio.setFreqA(plan.start);
          const door = env.harness.gateway.servers.find((s) => s.config.name === plan.door)!;
          w = await Wsjtx.start(env.x, {
            rigName: `cb-door-${plan.door}-${process.pid}`,
            rig: plan.rig,
            serialPort: '',
            baud: 9600,
            network: `127.0.0.1:${door.port}`,
          });
        }, 30_000);
        afterAll(async () => {
          await w?.dispose();
          expect(w?.allGone ?? true).toBe(true);
        }, 30_000);

        it('shows the radio frequency and leaves the radio where it was', async () => {
          await check('start', async () => {
            const wsjtx = need();
            await wsjtx.waitForDial((hz) => hz === plan.start, START_MS, `WSJT-X dial = radio ${plan.start}`);
            await sleep(3500);
            expect(await env.radio.freq('VFOA')).toBe(plan.start);
            expect(await env.radio.ptt()).toBe(false);
            expect(wsjtx.udp.status?.dialHz, wsjtx.udp.describe()).toBe(plan.start);
          });
        }, 60_000);

        it('follows a QSY made at the radio, and moves the radio to a frequency typed into it', async () => {
          await check('qsy', async () => {
            const wsjtx = need();
            await env.radio.setFreqA(plan.qsy);
            await until(
              () => wsjtx.udp.status?.dialHz === plan.qsy,
              FOLLOW_MS,
              `dial follows to ${plan.qsy}`,
            );
            await wsjtx.typeFrequency(plan.set);
            await until(
              async () => (await env.radio.freq('VFOA')) === plan.set,
              FOLLOW_MS,
              `radio at ${plan.set}`,
            );
            await sleep(2500);
            expect(await env.radio.freq('VFOA')).toBe(plan.set);
          });
        }, 30_000);

        it('Tune keys the radio, Halt Tx unkeys it; killed while tuning, the radio is unkeyed', async () => {
          await check('tune', async () => {
            const wsjtx = need();
            await wsjtx.key('alt+t');
            await until(() => env.radio.ptt(), 5000, 'radio keyed after Tune (Alt+T)');
            await wsjtx.key('alt+h');
            await until(async () => !(await env.radio.ptt()), 5000, 'radio unkeyed after Halt Tx');
            await wsjtx.key('alt+t');
            await until(() => env.radio.ptt(), 5000, 'radio keyed again');
            wsjtx.terminate();
            await until(async () => !(await env.radio.ptt()), 2000, 'radio unkeyed after SIGTERM');
            expect(await env.radio.freq('VFOA')).toBe(plan.set);
          });
        }, 40_000);
      });
    }
  },
);
