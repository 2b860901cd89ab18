import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../support/gateway-harness.js';
import { describeWithTools } from '../../support/tools.js';
import { Fldigi } from './fldigi.js';
import { type EmulatedRig, planFrequencies } from './profiles.js';
import { useProgramBench } from './program-bench.js';
import { diffRadio, prepareRadio, type RadioState, readRadio } from './radio-state.js';
import { sleep, withScreenshot } from './x-display.js';

/**
 * fldigi 4.1.23 with Hamlib rig control on one emulated radio of each family and of each dialect issue 15
 * added (ZZ on the FLEX-6000 over its CAT-over-TCP door, the K4, the Xiegu CI-V, the TS-890S's data
 * digits), as a ham sets it up (model, the port's link or `host:port`, PTT via Hamlib CAT, DTR/RTS Unset). fldigi's XML-RPC server is the
 * machine-readable view of what the program shows and does; the radio is a real `rigctld -m 1`.
 * CATBRIDGE_PROGRAM_MODELS=ts590sg runs a subset.
 */
const ALL = ['ts590sg', 'ic7300', 'ft991a', 'ft817', 'flex6000', 'k4', 'g90', 'ts890s'];
const only = process.env.CATBRIDGE_PROGRAM_MODELS?.split(',').filter(Boolean);
const MODELS = only ? ALL.filter((m) => only.includes(m)) : ALL;

/** fldigi polls Hamlib every 250 ms here; the gateway's poller adds its own period. */
const FOLLOW_MS = 5000;
const START_MS = 40_000;

describeWithTools(
  ['rigctld', 'rigctl', 'fldigi', 'Xvfb', 'xdotool', 'import'],
  'fldigi 4.1.23 (Hamlib) on the emulated radios',
  () => {
    const { env, rigs, history } = useProgramBench(MODELS);
    MODELS.forEach((id, index) => {
      describe(id, () => {
        const s = {} as {
          rig: EmulatedRig;
          f: Fldigi | null;
          before: RadioState;
          plan: { start: number; qsy: number; set: number };
        };
        const check = <T>(what: string, fn: () => Promise<T>) =>
          withScreenshot(env.x, `fldigi-${id}-${what}`, async () => {
            try {
              return await fn();
            } catch (err) {
              const error = env.trace.annotate(err, id);
              error.message += `\n  fldigi stderr: ${s.f?.log.slice(-600)}`;
              throw error;
            }
          });
        /**
         * main.tx, until the radio is keyed. fldigi ignores main.tx while its T/R button still reads as
         * pressed, which after an earlier main.rx it sometimes does for a while (seen on the second
         * transmission of a run), so main.tx is repeated while fldigi is not in TX.
         */
        const transmit = async (f: Fldigi) => {
          let calls = 0;
          await until(
            async () => {
              if (await env.radio.ptt()) return true;
              if ((await f.trxState()) !== 'TX' && calls < 6) {
                calls++;
                await f.call('main.tx');
              }
              await sleep(500);
              return false;
            },
            8000,
            'radio keyed after main.tx',
          ).catch(async (err: Error) => {
            throw new Error(`${err.message} (${calls} main.tx calls; fldigi state ${await f.trxState()})`);
          });
        };
        const need = (): Fldigi => {
          if (!s.f?.running) throw new Error(`fldigi for ${id} is not running`);
          return s.f;
        };

        beforeAll(async () => {
          s.rig = rigs.get(id)!;
          // Offset from the WSJT-X plan's indices so the two files never share a frequency.
          s.plan = planFrequencies(s.rig, index + 40);
          await prepareRadio(env.rigctld.port, env.radio, s.plan.start, s.plan.start + 5000);
          for (const hz of [s.plan.start, s.plan.start + 5000, s.plan.qsy, s.plan.set]) history.add(hz);
          // No pause for the gateway's poller (3 s while no client is open): the program opens the
          // port as soon as it starts, as when a ham turns the dial and then launches it.
          s.before = await readRadio(env.radio);
          s.f = await Fldigi.start(env.x, {
            hamlibModel: s.rig.hamlibModel,
            hamlibName: s.rig.hamlibFullName,
            device: env.harness.address(id),
            baud: s.rig.baud,
            stopBits: s.rig.stopBits,
          });
        }, 30_000);

        afterAll(async () => {
          await s.f?.dispose();
        }, 30_000);

        it('shows the radio frequency and leaves the radio where it was', async () => {
          await check('start', async () => {
            const f = need();
            const seen: (number | null)[] = [];
            await until(
              async () => {
                const hz = await f.frequency();
                if (seen.at(-1) !== hz) seen.push(hz);
                return hz === s.plan.start;
              },
              START_MS,
              `fldigi rig.get_frequency = radio ${s.plan.start}`,
            ).catch((err: Error) => {
              throw new Error(`${err.message}; fldigi reported [${seen.join(', ')}]`);
            });
            const stale = seen.filter((hz) => hz !== null && hz !== s.plan.start && history.has(hz));
            expect(stale, `fldigi showed a frequency the radio no longer had: [${seen.join(', ')}]`).toEqual(
              [],
            );
            await sleep(3000);
            const diff = diffRadio(s.before, await readRadio(env.radio));
            expect(diff, 'radio changed by fldigi start-up').toEqual([]);
            expect(await f.frequency()).toBe(s.plan.start);
            expect(await f.trxState()).toBe('RX');
          });
        }, 60_000);

        it('follows a QSY made at the radio', async () => {
          await check('qsy-at-radio', async () => {
            const f = need();
            await env.radio.setFreqA(s.plan.qsy);
            let last: number | null = null;
            await until(
              async () => {
                last = await f.frequency();
                return last === s.plan.qsy;
              },
              FOLLOW_MS,
              `fldigi follows the radio to ${s.plan.qsy}`,
            ).catch((err: Error) => {
              throw new Error(`${err.message}; fldigi shows ${last}`);
            });
          });
        }, 30_000);

        it('moves the radio to a frequency set in fldigi', async () => {
          await check('set-from-program', async () => {
            const f = need();
            await f.call('main.set_frequency', { double: s.plan.set });
            await until(
              async () => (await env.radio.freq('VFOA')) === s.plan.set,
              FOLLOW_MS,
              `radio at ${s.plan.set} after main.set_frequency`,
            ).catch(async (err: Error) => {
              throw new Error(`${err.message}; radio VFO A at ${await env.radio.freq('VFOA')}`);
            });
            await sleep(2000);
            expect(await env.radio.freq('VFOA')).toBe(s.plan.set);
            expect(await f.frequency()).toBe(s.plan.set);
          });
        }, 30_000);

        it('T/R keys the radio and unkeys it', async () => {
          await check('tx', async () => {
            const f = need();
            await f.call('main.tx');
            await until(() => env.radio.ptt(), 5000, 'radio keyed after main.tx');
            expect(await f.trxState()).toBe('TX');
            await f.call('main.rx');
            await until(async () => !(await env.radio.ptt()), 5000, 'radio unkeyed after main.rx');
            await until(async () => (await f.trxState()) === 'RX', 5000, 'fldigi back in RX after main.rx');
            expect(await env.radio.freq('VFOA')).toBe(s.plan.set);
          });
        }, 30_000);

        if (index % 2 === 0) {
          it('quitting while transmitting leaves the radio unkeyed', async () => {
            await check('quit-tx', async () => {
              const f = need();
              await transmit(f);
              await f.quit();
              await until(async () => !(await env.radio.ptt()), 2000, 'radio unkeyed after fldigi quit');
              expect(await env.radio.freq('VFOA')).toBe(s.plan.set);
            });
          }, 40_000);
        } else {
          it('SIGTERM while transmitting leaves the radio unkeyed within 2 s', async () => {
            await check('sigterm-tx', async () => {
              const f = need();
              await transmit(f);
              f.terminate();
              await until(async () => !(await env.radio.ptt()), 2000, 'radio unkeyed after SIGTERM');
              expect(await env.radio.freq('VFOA')).toBe(s.plan.set);
            });
          }, 40_000);
        }
      });
    });
  },
);
