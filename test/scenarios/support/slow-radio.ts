/**
 * A day with a slow radio: every rigctld answer held 300 ms by a relay, longer than some models' whole
 * Hamlib timeout (TS-2000, FT-857: 200 ms). A program may see timeouts; what it must never see is an
 * old frequency, and the radio must never move because a program opened, read or left. The same two
 * scenarios run on serial ports and through the network doors (rigctld, CAT over TCP): each client is
 * a real one-shot `rigctl -m <model> -r <where>`.
 */
import { afterAll, beforeAll, type ExpectStatic, it } from 'vitest';
import { describeWithTools } from '../../support/tools.js';
import {
  type Bench,
  type BenchSpec,
  checkRadioUntouched,
  expectFreshFirstReply,
  now,
  type OneShot,
  type RadioState,
  rigctlOnce,
  Shack,
  setModeByHand,
  setRadio,
  sleep,
  snapshot,
  TimingTable,
} from './day.js';

const DELAY_MS = 300;
const IDLE_MS = 300;
/** Held writes would leave after the settle window and take a slow round trip or two to land. */
const AFTER_EXIT_MS = 150 + 3 * DELAY_MS;
const BASE = { freqA: 14_074_000, freqB: 14_080_000, mode: 'USB', passband: 2400 };

/** One way a program reaches the radio: a port or a door of the shack, and the Hamlib model it runs. */
export interface SlowRadioClient {
  /** The port or server name in the shack (its watch and where it is opened). */
  door: string;
  /** Hamlib model number rigctl runs (`2` for the rigctld door). */
  model: number;
  /** What a first reply may wait: the model's Hamlib timeout less 50 ms (for the timing table). */
  boundMs: number;
  /**
   * The client waits far longer than the slow radio takes (netrigctl: 10 s), so no timeout excuses a
   * failed run: it must answer. Serial models' 200 ms timeouts may run out; they may fail, not lie.
   */
  mustAnswer?: boolean;
}

export interface SlowRadioSuite {
  title: string;
  /** The slow bench's ports and servers (its name and delay are the suite's). */
  ports: BenchSpec['ports'];
  servers?: BenchSpec['servers'];
  /** Every client, one at a time, through every change by hand. */
  clients: SlowRadioClient[];
  /** Two clients (by door) that open at the same moment. */
  pair: [string, string];
  /** The timing table's path column. */
  path: string;
}

export function describeSlowRadio(suite: SlowRadioSuite): void {
  const timings = new TimingTable();
  const byDoor = new Map(suite.clients.map((c) => [c.door, c]));

  describeWithTools(['rigctld', 'rigctl', 'stdbuf'], suite.title, () => {
    let shack: Shack;
    let bench: Bench;
    const started = now();

    beforeAll(async () => {
      shack = await Shack.start([
        { name: 'slow', delayMs: DELAY_MS, ports: suite.ports, servers: suite.servers ?? [] },
      ]);
      bench = shack.bench('slow');
    }, 60_000);

    afterAll(async () => {
      timings.print(`${suite.title}`);
      console.log(`${suite.title}: ${((now() - started) / 1000).toFixed(1)} s`);
      await shack?.stop();
    });

    const rigctl = (client: SlowRadioClient) =>
      rigctlOnce(client.model, shack.address(client.door), ['f', 'm'], { timeoutMs: 30_000 });

    /** A read either fails (timeouts are allowed) or gives what the radio holds; and its first reply was fresh. */
    const neverStale = (
      expect: ExpectStatic,
      client: SlowRadioClient,
      run: OneShot,
      step: string,
      expected: RadioState,
    ) => {
      const name = client.door;
      const first = shack.watch(name).firstReplyAfter(run.startedAt);
      timings.add({
        model: name,
        path: suite.path,
        step,
        waitMs: first?.waitMs ?? null,
        spawnToAnswerMs: run.firstOutAt === null ? null : run.firstOutAt - run.startedAt,
        boundMs: client.boundMs,
      });
      const said = `${step} [${name}]: rigctl ${run.args.join(' ')} → ${JSON.stringify(run.output.slice(0, 200))}`;
      if (client.mustAnswer) expect.soft(run.ok, `${said}: the program must get its answers`).toBe(true);
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
      if (first) expectFreshFirstReply(expect, bench, `${step} [${name}]`, run.startedAt, first);
    };

    /** Held writes get time to land before the radio is checked. */
    const radioUntouched = async (expect: ExpectStatic, step: string, since: number, expected: RadioState) =>
      sleep(AFTER_EXIT_MS).then(() => checkRadioUntouched(expect, bench, step, since, expected));

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
        for (const [i, client] of suite.clients.entries()) {
          await change(i);
          const after = await snapshot(bench.radio);
          expect.soft(after, `${label} [${client.door}]: the change by hand took`).not.toEqual(expected);
          expected = after;
          await sleep(IDLE_MS);
          const since = now();
          const run = await rigctl(client);
          neverStale(expect, client, run, label, expected);
          await radioUntouched(expect, `${label} [${client.door}]`, since, expected);
        }
      }
    }, 180_000);

    it('two programs opening at the same moment on a slow radio', async ({ expect }) => {
      await setRadio(bench, BASE);
      await bench.radio.setFreqA(28_074_000);
      const expected = await snapshot(bench.radio);
      await sleep(IDLE_MS);
      const since = now();
      const pair = suite.pair.map((door) => byDoor.get(door)!);
      const runs = await Promise.all(pair.map(rigctl));
      runs.forEach((run, i) => {
        neverStale(expect, pair[i]!, run, 'two at once', expected);
      });
      await radioUntouched(expect, 'two at once', since, expected);
    }, 60_000);
  });
}
