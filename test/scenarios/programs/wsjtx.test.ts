import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../support/gateway-harness.js';
import { describeWithTools } from '../../support/tools.js';
import { type EmulatedRig, planFrequencies } from './profiles.js';
import { useProgramBench } from './program-bench.js';
import { diffRadio, prepareRadio, type RadioState, readRadio } from './radio-state.js';
import { Wsjtx, type WsjtxOptions } from './wsjtx.js';
import { sleep, withScreenshot } from './x-display.js';

/**
 * WSJT-X 2.6.1, as a ham runs it, on every emulated radio: Rig = the model, CAT serial port = the
 * port's link, PTT via CAT, poll every second, UDP reporting on. The radio is a real `rigctld -m 1`;
 * WSJT-X's own view comes from its UDP Status messages; keys and the band combo are driven with xdotool
 * on Xvfb. Models run one after another in one Xvfb (each WSJT-X gets a unique --rig-name, and the
 * next starts only when the previous one and its jt9 are gone).
 * CATBRIDGE_PROGRAM_MODELS=ts2000,ic7300 runs a subset.
 */
const ALL = [
  'ts2000',
  'ts590sg',
  'ts480',
  'k3',
  'ic7300',
  'ic705',
  'ic9700',
  'ic7610',
  'ft991a',
  'ftdx10',
  'ft891',
  'ftdx101d',
  'ft817',
  'ft818',
  'ft857',
  'ft897',
  // Issue 15. The FLEX-6000 is network-only in Hamlib: WSJT-X reaches it at its port's CAT over TCP
  // ("Network Server"). Hamlib cannot key the IC-706MkIIG over CAT: WSJT-X runs it with PTT by VOX.
  'ts590s',
  'ts890s',
  'ts990s',
  'qcx',
  'k3s',
  'kx3',
  'kx2',
  'k4',
  'powersdr',
  'ic7100',
  'ic7600',
  'ic9100',
  'x6100',
  'g90',
  'ft710',
  'ftdx3000',
  'ft950',
  'ft450d',
  'flex6000',
  'ic706mk2g',
];
const only = process.env.CATBRIDGE_PROGRAM_MODELS?.split(',').filter(Boolean);
const MODELS = only ? ALL.filter((m) => only.includes(m)) : ALL;

/** WSJT-X polls every 1 s; the gateway's poller adds its own period on top. */
const FOLLOW_MS = 5000;
/** From start to the first CAT answer: Hamlib's rig_open plus WSJT-X's own start-up. */
const START_MS = 40_000;

describeWithTools(
  ['rigctld', 'rigctl', 'wsjtx', 'jt9', 'Xvfb', 'xdotool', 'import'],
  'WSJT-X 2.6.1 on the emulated radios',
  () => {
    const { env, rigs, history } = useProgramBench(MODELS);
    MODELS.forEach((id, index) => {
      describe(id, () => {
        const s = {} as {
          rig: EmulatedRig;
          w: Wsjtx | null;
          before: RadioState;
          plan: { start: number; qsy: number; set: number };
        };
        const check = <T>(what: string, fn: () => Promise<T>) =>
          withScreenshot(env.x, `wsjtx-${id}-${what}`, fn);
        /** File → Settings → Radio as a ham sets it for this model. */
        const settings = (rigName: string): WsjtxOptions => ({
          rigName,
          rig: s.rig.hamlibFullName,
          serialPort: s.rig.link === 'pty' ? env.harness.links[id]! : '',
          network: s.rig.link === 'tcp' ? env.harness.address(id) : undefined,
          baud: s.rig.baud,
          ptt: s.rig.catPtt ? 'cat' : 'vox',
        });
        /**
         * Tune (Alt+T). A CAT-keyed model keys the radio. On a VOX model WSJT-X only sends audio (the
         * radio's VOX would key it): WSJT-X reports transmitting, and nothing keys the radio over CAT.
         */
        const tune = async (w: Wsjtx) => {
          await w.key('alt+t');
          if (s.rig.catPtt) {
            await until(() => env.radio.ptt(), 5000, 'radio keyed after Tune (Alt+T)');
            return;
          }
          await until(() => w.udp.status?.transmitting === true, 5000, 'WSJT-X transmitting after Tune');
          for (let i = 0; i < 15; i++) {
            expect(await env.radio.ptt(), 'PTT by VOX: nothing keys the radio over CAT').toBe(false);
            await sleep(100);
          }
        };
        /**
         * After WSJT-X quits or is killed while tuning: a CAT-keyed radio is unkeyed within 2 s of WSJT-X
         * being gone (the kernel has then closed its port). The clock starts at its exit, not at the
         * signal: a killed WSJT-X sometimes takes over a second to die on a loaded machine, which is not
         * the gateway's time. A VOX model's radio was never keyed and must still be unkeyed.
         */
        const endsUnkeyed = async (
          w: Wsjtx,
          what: string,
          end: () => Promise<void> | void,
        ): Promise<void> => {
          // When the port saw its client go, so that a failure says which stage was slow.
          const session = env.harness.session(id);
          const started = performance.now();
          let closedMs = null as number | null;
          const onClient = (open: boolean) => {
            if (!open && closedMs === null) closedMs = performance.now() - started;
          };
          session.on('client', onClient);
          try {
            await end();
            await until(() => !w.running, 10_000, `WSJT-X gone after ${what}`);
            const stages = `WSJT-X exited ${(performance.now() - started).toFixed(0)} ms and the port closed ${closedMs?.toFixed(0)} ms after ${what}`;
            if (!s.rig.catPtt) {
              expect(await env.radio.ptt(), `PTT by VOX: the radio never keyed (${stages})`).toBe(false);
              return;
            }
            const ms = await until(
              async () => !(await env.radio.ptt()),
              2000,
              `radio unkeyed within 2 s of WSJT-X gone (${stages})`,
            );
            expect(ms, stages).toBeLessThanOrEqual(2000);
          } finally {
            session.off('client', onClient);
          }
        };
        const need = (): Wsjtx => {
          if (!s.w?.running) throw new Error(`WSJT-X for ${id} is not running (${s.w?.log.slice(-400)})`);
          return s.w;
        };

        beforeAll(async () => {
          s.rig = rigs.get(id)!;
          s.plan = planFrequencies(s.rig, index);
          await prepareRadio(env.rigctld.port, env.radio, s.plan.start, s.plan.start + 5000);
          for (const hz of [s.plan.start, s.plan.start + 5000, s.plan.qsy, s.plan.set]) history.add(hz);
          // No pause for the gateway's poller (3 s while no client is open): the program opens the
          // port as soon as it starts, as when a ham turns the dial and then launches it.
          s.before = await readRadio(env.radio);
          s.w = await Wsjtx.start(env.x, settings(`cb-${id}-${process.pid}`));
        }, 30_000);

        afterAll(async () => {
          await s.w?.dispose();
          // The next model's WSJT-X may start only when every process of this one is gone.
          expect(s.w?.allGone ?? true).toBe(true);
        }, 30_000);

        it('shows the radio frequency and leaves the radio where it was', async () => {
          await check('start', async () => {
            const w = need();
            await w.waitForDial((hz) => hz === s.plan.start, START_MS, `WSJT-X dial = radio ${s.plan.start}`);
            const stale = w.udp.dials.filter((hz) => hz !== s.plan.start && history.has(hz));
            expect(stale, `WSJT-X showed a frequency the radio no longer had; ${w.udp.describe()}`).toEqual(
              [],
            );
            // A few poll cycles more: a program that "restores" its own frequency does it now.
            await sleep(3500);
            const after = await readRadio(env.radio);
            const diff = diffRadio(s.before, after);
            expect(diff, `radio changed by WSJT-X start-up; ${w.udp.describe()}`).toEqual([]);
            expect(w.udp.status?.dialHz, w.udp.describe()).toBe(s.plan.start);
            expect(w.udp.dials.filter((hz) => hz !== s.plan.start && history.has(hz))).toEqual([]);
          });
        }, 60_000);

        it('follows a QSY made at the radio', async () => {
          await check('qsy-at-radio', async () => {
            const w = need();
            await env.radio.setFreqA(s.plan.qsy);
            const ms = await until(
              () => w.udp.status?.dialHz === s.plan.qsy,
              FOLLOW_MS,
              `WSJT-X dial follows the radio to ${s.plan.qsy}`,
            ).catch((err: Error) => {
              throw new Error(`${err.message}; ${w.udp.describe()}`);
            });
            expect(ms).toBeLessThan(FOLLOW_MS);
          });
        }, 30_000);

        it('moves the radio to a frequency typed into its band box', async () => {
          await check('set-from-program', async () => {
            const w = need();
            await w.typeFrequency(s.plan.set);
            await until(
              async () => (await env.radio.freq('VFOA')) === s.plan.set,
              FOLLOW_MS,
              `radio at ${s.plan.set} after typing it into WSJT-X`,
            ).catch(async (err: Error) => {
              throw new Error(
                `${err.message}; radio VFO A at ${await env.radio.freq('VFOA')}; ${w.udp.describe()}`,
              );
            });
            await w.waitForDial((hz) => hz === s.plan.set, FOLLOW_MS, `WSJT-X dial = ${s.plan.set}`);
            // And it stays there (no stale read pulls WSJT-X or the radio back).
            await sleep(2500);
            expect(await env.radio.freq('VFOA')).toBe(s.plan.set);
            expect(w.udp.status?.dialHz, w.udp.describe()).toBe(s.plan.set);
          });
        }, 30_000);

        it('Tune keys the radio (by CAT, or by VOX from the audio) and Halt Tx unkeys it', async () => {
          await check('tune', async () => {
            const w = need();
            await tune(w);
            await w.key('alt+h');
            await until(async () => !(await env.radio.ptt()), 5000, 'radio unkeyed after Halt Tx (Alt+H)');
            await until(() => w.udp.status?.transmitting === false, 5000, 'WSJT-X stopped transmitting');
            expect(await env.radio.freq('VFOA')).toBe(s.plan.set);
          });
        }, 30_000);

        // Half the models quit the way a ham does (File → Exit, here WSJT-X's UDP Close) while tuning;
        // the other half are killed (SIGTERM) while tuning. Either way the radio must end unkeyed.
        if (index % 2 === 0) {
          it('quitting while tuning leaves the radio unkeyed', async () => {
            await check('quit-tuning', async () => {
              const w = need();
              await tune(w);
              await endsUnkeyed(w, 'WSJT-X quit', () => w.quit());
              expect(await env.radio.freq('VFOA')).toBe(s.plan.set);
            });
          }, 40_000);
        } else {
          it('SIGTERM while tuning leaves the radio unkeyed within 2 s of its exit', async () => {
            await check('sigterm-tuning', async () => {
              const w = need();
              await tune(w);
              await endsUnkeyed(w, 'SIGTERM', () => w.terminate());
              expect(await env.radio.freq('VFOA')).toBe(s.plan.set);
            });
          }, 40_000);
        }

        it('started again on the same port after a QSY at the radio, shows it and leaves the radio', async () => {
          await check('restart', async () => {
            await s.w?.dispose();
            expect(s.w?.allGone, 'previous WSJT-X (and jt9) gone').toBe(true);
            // The ham turns the dial while WSJT-X is closed, then starts it again.
            const again = s.plan.start + 2000;
            history.add(again);
            await env.radio.setFreqA(again);
            const before = await readRadio(env.radio);
            s.w = await Wsjtx.start(env.x, settings(`cb-${id}-again-${process.pid}`));
            const w = s.w;
            await w.waitForDial((hz) => hz === again, START_MS, `restarted WSJT-X dial = radio ${again}`);
            await sleep(3500);
            const stale = w.udp.dials.filter((hz) => hz !== again && history.has(hz));
            expect(stale, `WSJT-X showed a frequency the radio no longer had; ${w.udp.describe()}`).toEqual(
              [],
            );
            expect(diffRadio(before, await readRadio(env.radio)), 'radio changed by the restart').toEqual([]);
            await w.quit();
            expect(await env.radio.ptt()).toBe(false);
            expect(await env.radio.freq('VFOA')).toBe(again);
          });
        }, 90_000);
      });
    });
  },
);
