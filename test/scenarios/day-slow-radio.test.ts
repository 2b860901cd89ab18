/**
 * A day with a slow radio: every rigctld answer held 300 ms by a relay, longer than some models' whole
 * Hamlib timeout (TS-2000, FT-857: 200 ms). A program may see timeouts; what it must never see is an
 * old frequency, and the radio must never move because a program opened, read or left.
 */
import { afterAll, beforeAll, type ExpectStatic, it } from 'vitest';
import { describeWithTools } from '../support/tools.js';
import {
  type Bench,
  checkRadioUntouched,
  loadModels,
  now,
  type OneShot,
  type RadioState,
  rigctlOnce,
  Shack,
  setModeByHand,
  setRadio,
  sleep,
  snapshot,
  staleFirstReply,
  TimingTable,
} from './support/day.js';

const DELAY_MS = 300;
const IDLE_MS = 300;
/** Held writes would leave after the settle window and take a slow round trip or two to land. */
const AFTER_EXIT_MS = 150 + 3 * DELAY_MS;
const BASE = { freqA: 14_074_000, freqB: 14_080_000, mode: 'USB', passband: 2400 };
const NAMES = ['ts2000', 'ft857', 'ic7300', 'ft991a'];
const timings = new TimingTable();

describeWithTools(['rigctld', 'rigctl', 'stdbuf'], 'a day with a slow radio (answers held 300 ms)', () => {
  const models = new Map(loadModels().map((m) => [m.name, m]));
  let shack: Shack;
  let bench: Bench;
  const started = now();

  beforeAll(async () => {
    shack = await Shack.start([
      { name: 'slow', delayMs: DELAY_MS, ports: NAMES.map((name) => ({ name, rig: name })) },
    ]);
    bench = shack.bench('slow');
  }, 60_000);

  afterAll(async () => {
    timings.print('slow radio (300 ms)');
    console.log(`slow radio: ${((now() - started) / 1000).toFixed(1)} s`);
    await shack?.stop();
  });

  /** A read either fails (timeouts are allowed) or gives what the radio holds; and its first reply was fresh. */
  const neverStale = (
    expect: ExpectStatic,
    name: string,
    run: OneShot,
    step: string,
    expected: RadioState,
  ) => {
    const model = models.get(name)!;
    const first = shack.watch(name).firstReplyAfter(run.startedAt);
    timings.add({
      model: name,
      path: 'slow300',
      step,
      waitMs: first?.waitMs ?? null,
      spawnToAnswerMs: run.firstOutAt === null ? null : run.firstOutAt - run.startedAt,
      boundMs: model.firstReplyBoundMs,
    });
    const said = `${step} [${name}]: rigctl ${run.args.join(' ')} → ${JSON.stringify(run.output.slice(0, 200))}`;
    if (run.ok) {
      expect.soft(run.lines[0], `${said}: the frequency read`).toBe(String(expected.freqA));
      expect.soft(run.lines[1], `${said}: the mode read`).toBe(expected.modeA);
    } else {
      // A failed program may still have printed a frequency before giving up: never an old one.
      const numbers = run.lines.filter((l) => /^\d{6,}$/.test(l));
      expect
        .soft(
          numbers.filter((n) => n !== String(expected.freqA)),
          `${said}: stale values printed`,
        )
        .toEqual([]);
    }
    if (first) {
      const stale = staleFirstReply(bench, run.startedAt, first);
      expect
        .soft(stale, `${step} [${name}]: first reply not from a read started after the open: ${stale}`)
        .toBeNull();
    }
  };

  const radioUntouched = async (expect: ExpectStatic, step: string, since: number, expected: RadioState) => {
    await sleep(AFTER_EXIT_MS);
    await checkRadioUntouched(expect, bench, step, since, expected);
  };

  it('one program at a time, the radio moved by hand while idle: never a stale answer, the radio never moved', async ({
    expect,
  }) => {
    await setRadio(bench, BASE);
    let expected = await snapshot(bench.radio);
    // Each program gets a change of its own (a new value every time, so a stale answer shows).
    const changes: [string, (i: number) => Promise<void>][] = [
      ['freq A by hand', (i) => bench.radio.setFreqA(21_074_000 + i * 1000)],
      ['mode by hand', (i) => setModeByHand(bench, i % 2 === 0 ? 'LSB' : 'USB', 2400)],
      ['freq B by hand', (i) => bench.radio.setFreqB(7_074_000 + i * 1000)],
    ];
    for (const [label, change] of changes) {
      for (const [i, name] of NAMES.entries()) {
        await change(i);
        const after = await snapshot(bench.radio);
        expect.soft(after, `${label} [${name}]: the change by hand took`).not.toEqual(expected);
        expected = after;
        await sleep(IDLE_MS);
        const since = now();
        const run = await rigctlOnce(models.get(name)!.model, shack.link(name), ['f', 'm'], {
          timeoutMs: 30_000,
        });
        neverStale(expect, name, run, label, expected);
        await radioUntouched(expect, `${label} [${name}]`, since, expected);
      }
    }
  }, 180_000);

  it('two programs opening at the same moment on a slow radio', async ({ expect }) => {
    await setRadio(bench, BASE);
    await bench.radio.setFreqA(28_074_000);
    const expected = await snapshot(bench.radio);
    await sleep(IDLE_MS);
    const since = now();
    const pair = ['ic7300', 'ts2000'];
    const runs = await Promise.all(
      pair.map((name) =>
        rigctlOnce(models.get(name)!.model, shack.link(name), ['f', 'm'], { timeoutMs: 30_000 }),
      ),
    );
    runs.forEach((run, i) => {
      neverStale(expect, pair[i]!, run, 'two at once', expected);
    });
    await radioUntouched(expect, 'two at once', since, expected);
  }, 60_000);
});
