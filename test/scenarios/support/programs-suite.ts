/**
 * The part of the day where programs overlap, crash and restart, on one radio shared by ports of
 * several models: run once straight at rigctld and once through the 30 ms relay (one file each, so
 * the two run side by side).
 */

import { afterAll, beforeAll, type ExpectStatic, it } from 'vitest';
import { until } from '../../support/gateway-harness.js';
import { RigctlSession } from '../../support/rigctl-session.js';
import { RigLink } from '../../support/rigctld.js';
import { describeWithTools } from '../../support/tools.js';
import {
  type Bench,
  checkRadioUntouched,
  halfFrameClient,
  loadModels,
  type ModelSpec,
  now,
  type OneShot,
  type RadioState,
  radioSlowerThanBound,
  rigctlOnce,
  Shack,
  setModeByHand,
  setRadio,
  sleep,
  snapshot,
  staleFirstReply,
  TimingTable,
} from './day.js';

const IDLE_MS = 300;
const AFTER_EXIT_MS = 300;
const NO_CACHE = ['-C', 'cache_timeout=0'];
const BASE = { freqA: 14_074_000, freqB: 14_080_000, mode: 'USB', passband: 2400 };
const ON_PORTS = ['ts2000', 'ic7300', 'ft857', 'ft991a', 'ic9700', 'ft817', 'k3', 'ic7610', 'ftdx101d'];

/**
 * Sequences still failing through the 30 ms relay as of this commit, each an open defect of the
 * "day in a real shack" issue (see the closing note), skipped by name rather than weakened:
 * - the logger run: a newcomer's static first replies (AI0;) before any read after its open;
 * - the half frame: the next client's ID; answered before a read after its open;
 * - the rigctld restart: the FT-857's open dance leaves V VFOB on the restarted radio.
 */
const OPEN_THROUGH_RELAY = new Set<string>([]);

export function programsSuite(path: 'direct' | 'relay30', delayMs: number | null): void {
  const open = (key: string) => path === 'relay30' && OPEN_THROUGH_RELAY.has(key);
  const models = new Map(loadModels().map((m) => [m.name, m]));
  const model = (name: string): ModelSpec => models.get(name)!;
  const timings = new TimingTable();

  describeWithTools(
    ['rigctld', 'rigctl', 'stdbuf'],
    `a day in a real shack, programs together (${path})`,
    () => {
      let shack: Shack;
      let bench: Bench;
      const started = now();
      const port = (name: string) => `${path}-${name}`;

      beforeAll(async () => {
        shack = await Shack.start([
          { name: path, delayMs, ports: ON_PORTS.map((name) => ({ name: port(name), rig: name })) },
        ]);
        bench = shack.bench(path);
      }, 60_000);

      afterAll(async () => {
        timings.print(`programs together (${path})`);
        console.log(`programs together (${path}): ${((now() - started) / 1000).toFixed(1)} s`);
        await shack?.stop();
      });

      /** One program reading `f m`; its answers and its first reply checked against what the radio holds. */
      const readOnce = async (expect: ExpectStatic, name: string, step: string, expected: RadioState) => {
        const m = model(name);
        const run = await rigctlOnce(m.model, shack.link(port(name)), ['f', 'm']);
        checkRead(expect, run, `${step} [${name}]`, expected);
        checkFirstReply(expect, name, run, step);
        return run;
      };

      const checkRead = (expect: ExpectStatic, run: OneShot, step: string, expected: RadioState) => {
        expect.soft(run.ok, `${step}: rigctl ${run.args.join(' ')} → ${run.output.slice(0, 300)}`).toBe(true);
        expect
          .soft(run.lines[0], `${step}: the frequency read (radio has ${expected.freqA})`)
          .toBe(String(expected.freqA));
        expect
          .soft(run.lines[1], `${step}: the mode read (radio has ${expected.modeA})`)
          .toBe(expected.modeA);
      };

      const checkFirstReply = (expect: ExpectStatic, name: string, run: OneShot, step: string) => {
        const m = model(name);
        const first = shack.watch(port(name)).firstReplyAfter(run.startedAt);
        timings.add({
          model: name,
          path,
          step,
          waitMs: first?.waitMs ?? null,
          spawnToAnswerMs: run.firstOutAt === null ? null : run.firstOutAt - run.startedAt,
          boundMs: m.firstReplyBoundMs,
        });
        expect.soft(first, `${step} [${name}]: the port answered`).not.toBeNull();
        if (!first) return;
        if (!radioSlowerThanBound(bench, run.startedAt, first, m.firstReplyBoundMs)) {
          expect
            .soft(
              first.waitMs,
              `${step} [${name}]: first reply (${first.request} → ${first.reply}) waited too long`,
            )
            .toBeLessThanOrEqual(m.firstReplyBoundMs);
        }
        const stale = staleFirstReply(bench, run.startedAt, first);
        expect
          .soft(stale, `${step} [${name}]: first reply not from a read started after the open: ${stale}`)
          .toBeNull();
      };

      const radioUntouched = async (
        expect: ExpectStatic,
        step: string,
        since: number,
        expected: RadioState,
      ) => {
        await sleep(AFTER_EXIT_MS);
        await checkRadioUntouched(expect, bench, step, since, expected);
      };

      it('two and three programs of different models open at the same moment after a change by hand', async ({
        expect,
      }) => {
        await setRadio(bench, BASE);
        let expected = await snapshot(bench.radio);
        const combos: { names: string[]; change: () => Promise<void>; label: string }[] = [
          { names: ['ic7300', 'ft857'], change: () => bench.radio.setFreqA(21_074_000), label: 'freq A' },
          {
            names: ['ts2000', 'ic9700', 'ft817'],
            change: () => bench.radio.setFreqA(7_074_000),
            label: 'freq A',
          },
          {
            names: ['ic7300', 'ic9700', 'ic7610'],
            change: () => bench.radio.setFreqB(7_076_000),
            label: 'freq B',
          },
          {
            names: ['ic7610', 'ftdx101d', 'k3'],
            change: () => setModeByHand(bench, 'LSB', 2400),
            label: 'mode',
          },
          {
            names: ['ft991a', 'ft857', 'ts2000'],
            change: () => bench.radio.setFreqA(3_573_000),
            label: 'freq A',
          },
        ];
        for (const combo of combos) {
          const step = `${combo.names.join(' + ')} after ${combo.label} by hand`;
          await combo.change();
          expected = await snapshot(bench.radio);
          await sleep(IDLE_MS);
          const since = now();
          await Promise.all(combo.names.map((name) => readOnce(expect, name, step, expected)));
          await radioUntouched(expect, step, since, expected);
        }
      }, 60_000);

      it.skipIf(open('logger'))(
        'a logger reads all day; programs come and go; the radio moved by hand is seen within 2 s, and first by a newcomer',
        async ({ expect }) => {
          await setRadio(bench, BASE);
          let expected = await snapshot(bench.radio);
          const logger = await RigctlSession.open(
            model('ic9700').model,
            shack.link(port('ic9700')),
            NO_CACHE,
          );
          const samples: { at: number; f: string; m: string; t: string }[] = [];
          let running = true;
          const loop = (async () => {
            while (running) {
              const at = now();
              const [f, m, t] = [await logger.cmd('f'), await logger.cmd('m'), await logger.cmd('t')];
              samples.push({
                at,
                f: f.values[0] ?? `error ${f.raw}`,
                m: m.values[0] ?? `error ${m.raw}`,
                t: t.values[0] ?? '?',
              });
              await sleep(Math.max(0, 1000 - (now() - at)));
            }
          })();
          const changes: { at: number; what: string; f: string; m: string }[] = [];
          const note = (what: string) =>
            changes.push({ at: now(), what, f: String(expected.freqA), m: expected.modeA });
          try {
            await sleep(1500);
            // A change by hand, and a newcomer opening right after it: its first reply is the change.
            const hand = await RigLink.open(bench.rigctld.port);
            try {
              await hand.cmd('F 7074000');
            } finally {
              hand.close();
            }
            expected = { ...expected, freqA: 7_074_000 };
            note('freq A by hand');
            let since = now();
            await readOnce(
              expect,
              'ft991a',
              'newcomer right after a change by hand, logger attached',
              expected,
            );
            await radioUntouched(expect, 'newcomer right after a change by hand', since, expected);
            await sleep(1500);

            await setModeByHand(bench, 'LSB', 2400);
            expected = await snapshot(bench.radio);
            note('mode by hand');
            await sleep(IDLE_MS);
            since = now();
            await readOnce(expect, 'ft857', 'program after a mode change by hand, logger attached', expected);
            await radioUntouched(expect, 'program after a mode change by hand', since, expected);
            await sleep(1500);

            // A program that means to change the radio does change it, and the logger sees it.
            since = now();
            const writer = await RigctlSession.open(model('ts2000').model, shack.link(port('ts2000')));
            expect.soft((await writer.cmd('F 10136000')).ok, 'ts2000 program: F 10136000').toBe(true);
            await writer.close();
            expected = { ...expected, freqA: 10_136_000 };
            note('F 10136000 from the TS-2000 program');
            await until(
              async () => (await bench.radio.freq('VFOA')) === 10_136_000,
              1500,
              'F reaches the radio',
            ).catch(() => undefined);
            await sleep(AFTER_EXIT_MS);
            expect.soft(await snapshot(bench.radio), 'after the TS-2000 program').toEqual(expected);
            expect
              .soft(
                bench.writes.filter((w) => w.at >= since).map((w) => w.field),
                "the TS-2000 program's writes",
              )
              .toEqual(['freqA']);
            await sleep(2500);
          } finally {
            running = false;
            await loop;
            await logger.close();
          }
          for (const change of changes) {
            const seen = samples.find((s) => s.at >= change.at && s.f === change.f && s.m === change.m);
            expect
              .soft(
                seen ? seen.at - change.at : null,
                `logger sees ${change.what} (${change.f} ${change.m}) within 2 s; samples after it: ${JSON.stringify(
                  samples
                    .filter((s) => s.at >= change.at)
                    .map((s) => `${Math.round(s.at - change.at)}ms ${s.f} ${s.m}`),
                )}`,
              )
              .not.toBeNull();
            if (seen)
              expect
                .soft(seen.at - change.at, `logger sees ${change.what} within 2 s`)
                .toBeLessThanOrEqual(2000);
          }
          expect
            .soft(
              samples.every((s) => s.t === '0'),
              `logger never saw TX: ${JSON.stringify(samples.map((s) => s.t))}`,
            )
            .toBe(true);
          expect.soft(samples.length, 'logger samples').toBeGreaterThan(8);
        },
        60_000,
      );

      for (const name of ['ts2000', 'ic7300', 'ft857', 'ft991a']) {
        it(`${name}: a program killed while keyed leaves the radio unkeyed within 1 s and the port usable`, async ({
          expect,
        }) => {
          await setRadio(bench, BASE);
          const expected = await snapshot(bench.radio);
          const m = model(name);
          const session = await RigctlSession.open(m.model, shack.link(port(name)));
          let killedAt = 0;
          try {
            expect.soft((await session.cmd('T 1')).ok, 'T 1').toBe(true);
            const keyed = await until(() => bench.radio.ptt(), 1500, 'radio keyed').catch(() => null);
            expect.soft(keyed, 'the radio keyed by T 1').not.toBeNull();
          } finally {
            killedAt = now();
            await session.kill();
          }
          const unkeyed = await until(async () => !(await bench.radio.ptt()), 3000, 'radio unkeyed')
            .then(() => now() - killedAt)
            .catch(() => null);
          expect.soft(unkeyed, 'radio unkeyed after SIGKILL').not.toBeNull();
          if (unkeyed !== null)
            expect.soft(unkeyed, 'radio unkeyed within 1 s of SIGKILL').toBeLessThanOrEqual(1000);
          await sleep(IDLE_MS);
          const since = now();
          const next = await rigctlOnce(m.model, shack.link(port(name)), ['f', 'm', 't']);
          checkRead(expect, next, 'the next program after the crash', expected);
          expect.soft(next.lines[3], 'the next program reads PTT off').toBe('0');
          await radioUntouched(expect, 'the next program after the crash', since, expected);
        }, 30_000);
      }

      it('a program killed right after a write: the write is committed, nothing else', async ({ expect }) => {
        await setRadio(bench, BASE);
        for (const [name, hz] of [
          ['ts2000', 14_076_000],
          ['ic7300', 14_078_000],
        ] as const) {
          const expected = { ...(await snapshot(bench.radio)), freqA: hz };
          const since = now();
          const session = await RigctlSession.open(model(name).model, shack.link(port(name)));
          await session.cmd(`F ${hz}`);
          await session.kill();
          const reached = await until(
            async () => (await bench.radio.freq('VFOA')) === hz,
            1500,
            'write committed',
          ).catch(() => null);
          expect.soft(reached, `${name}: F ${hz} reaches the radio after SIGKILL`).not.toBeNull();
          await sleep(AFTER_EXIT_MS);
          expect.soft(await snapshot(bench.radio), `${name}: the radio`).toEqual(expected);
          expect
            .soft(
              bench.writes.filter((w) => w.at >= since).map((w) => w.field),
              `${name}: the gateway's writes`,
            )
            .toEqual(['freqA']);
        }
      }, 30_000);

      /** A one-shot rigctl whose every read reaches the port (Hamlib's own cache off). */
      const uncached = (name: string, commands: string[]) =>
        rigctlOnce(model(name).model, shack.link(port(name)), [...NO_CACHE, ...commands]);

      it("a probe restored just before the program exits (WSJT-X's f+55, read, f) never reaches the radio", async ({
        expect,
      }) => {
        await setRadio(bench, BASE);
        const expected = await snapshot(bench.radio);
        for (const name of ['ts2000', 'ic7300', 'ft991a', 'ft857']) {
          const since = now();
          const run = await uncached(name, ['F', '14074055', 'f', 'F', '14074000']);
          // At the radio's resolution: the FT-857 tunes in 10 Hz steps and reads 14074060.
          expect
            .soft(Math.abs(Number(run.lines[0]) - 14_074_055), `${name}: the probe reads its own value back`)
            .toBeLessThanOrEqual(5);
          // rigctl exits right after the restore, inside the settle window: nothing may reach the radio.
          await radioUntouched(expect, `${name}: F 14074055, f, F 14074000, exit`, since, expected);
        }
      }, 30_000);

      it('a set read back before the program exits reaches the radio (a user means a one-shot F … f)', async ({
        expect,
      }) => {
        await setRadio(bench, BASE);
        for (const name of ['ts2000', 'ic7300', 'ft991a', 'ft857']) {
          const expected = { ...(await snapshot(bench.radio)), freqA: 14_074_050 };
          const since = now();
          const run = await uncached(name, ['F', '14074050', 'f']);
          expect.soft(run.lines[0], `${name}: the set reads back`).toBe('14074050');
          const reached = await until(
            async () => (await bench.radio.freq('VFOA')) === 14_074_050,
            1000 + AFTER_EXIT_MS,
            'F reaches the radio',
          ).catch(() => null);
          expect.soft(reached, `${name}: F 14074050, f, exit: the radio has it within 1 s`).not.toBeNull();
          await sleep(AFTER_EXIT_MS);
          expect.soft(await snapshot(bench.radio), `${name}: the radio`).toEqual(expected);
          expect
            .soft(
              bench.writes.filter((w) => w.at >= since).map((w) => w.field),
              `${name}: the gateway's writes`,
            )
            .toEqual(['freqA']);
          await setRadio(bench, BASE);
        }
      }, 30_000);

      it.skipIf(open('half frame'))(
        'a client that leaves half a frame behind: the next program gets clean answers and the radio is untouched',
        async ({ expect }) => {
          await setRadio(bench, BASE);
          const expected = await snapshot(bench.radio);
          const halves: [string, Uint8Array][] = [
            ['ts2000', Buffer.from('FA000210740', 'latin1')],
            ['ic7300', Buffer.from([0xfe, 0xfe, 0x94, 0xe0, 0x05, 0x00, 0x40, 0x07, 0x21])],
            ['ft857', Buffer.from([0x21, 0x07, 0x40, 0x00])],
            ['ft991a', Buffer.from('FA02107', 'latin1')],
          ];
          for (const [name, bytes] of halves) {
            const since = now();
            await halfFrameClient(shack.link(port(name)), bytes);
            await sleep(IDLE_MS);
            await readOnce(expect, name, 'after a half frame', expected);
            await radioUntouched(expect, `${name}: half frame, then a program`, since, expected);
          }
        },
        30_000,
      );

      it.skipIf(open('restart'))(
        'rigctld restarted between programs: the next program sees the restarted radio, never the old cache',
        async ({ expect }) => {
          const names = ['ts2000', 'ic7300', 'ft857'];
          for (const wait of [
            'after the gateway reconnected',
            'at once, while the gateway may still be away',
          ]) {
            await setRadio(bench, BASE);
            await sleep(IDLE_MS);
            const before = await Promise.all(
              names.map((name) => rigctlOnce(model(name).model, shack.link(port(name)), ['f'])),
            );
            expect
              .soft(
                before.map((r) => r.lines[0]),
                `before the restart (then programs ${wait})`,
              )
              .toEqual(names.map(() => '14074000'));
            await bench.rigctld.restart();
            const fresh = await snapshot(bench.radio);
            expect.soft(fresh.freqA, 'the restarted dummy is back at its own default').not.toBe(BASE.freqA);
            if (wait.startsWith('after')) {
              await until(() => shack.backendConnected(path), 10_000, 'gateway reconnected');
              await sleep(IDLE_MS);
            }
            const since = now();
            const runs = await Promise.all(
              names.map((name) =>
                rigctlOnce(model(name).model, shack.link(port(name)), ['f', 'm'], { timeoutMs: 20_000 }),
              ),
            );
            runs.forEach((run, i) => {
              const step = `restart, programs ${wait} [${names[i]}]`;
              if (wait.startsWith('after')) checkRead(expect, run, step, fresh);
              else
                expect
                  .soft(run.lines[0], `${step}: never the old frequency (${run.output.slice(0, 200)})`)
                  .not.toBe(String(BASE.freqA));
            });
            await until(() => shack.backendConnected(path), 10_000, 'gateway reconnected').catch(
              () => undefined,
            );
            await sleep(AFTER_EXIT_MS);
            await checkRadioUntouched(expect, bench, `restart, programs ${wait}`, since, fresh);
          }
        },
        60_000,
      );
    },
  );
}
