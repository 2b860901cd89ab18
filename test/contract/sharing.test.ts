/**
 * Many ports on one radio, with real programs: four real Hamlib rigctl clients, each a different
 * emulated family (Kenwood TS-2000, Icom IC-7300, Yaesu FT-991A and FT-817), on one real rigctld.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RigctldBackend } from '../../src/gateway/backends/rigctld-backend.js';
import { GatewayHarness, until } from '../support/gateway-harness.js';
import { RigctlSession } from '../support/rigctl-session.js';
import { Rigctld } from '../support/rigctld.js';
import { describeWithTools } from '../support/tools.js';

const PORTS = [
  { name: 'ts2000', model: 2014 },
  { name: 'ic7300', model: 3073 },
  { name: 'ft991a', model: 1035 },
  { name: 'ft817', model: 1020 },
] as const;

/** Every read reaches the port (Hamlib's own 500 ms cache off). */
const NO_CACHE = ['-C', 'cache_timeout=0'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithTools(['rigctl', 'rigctld', 'stdbuf'], 'many ports of different families on one radio', () => {
  let rigctld: Rigctld;
  let harness: GatewayHarness;
  const clients = new Map<string, RigctlSession>();

  beforeAll(async () => {
    rigctld = await Rigctld.start();
    harness = await GatewayHarness.start(
      { radio: { type: 'rigctld', address: `127.0.0.1:${rigctld.port}` } },
      PORTS.map((p) => ({ name: p.name, rig: p.name, backend: 'radio' })),
    );
    for (const p of PORTS)
      clients.set(p.name, await RigctlSession.open(p.model, harness.links[p.name]!, NO_CACHE));
  }, 30_000);

  afterAll(async () => {
    for (const client of clients.values()) await client.close();
    await harness?.stop();
    await rigctld?.kill();
  });

  const backendRequests = () => (harness.rig('radio').backend as unknown as RigctldBackend).stats().requests;

  /** Every client reads `f` every `periodMs` until stopped; returns the values each one saw. */
  const pollAll = (names: string[], periodMs: number) => {
    let running = true;
    const seen = new Map<string, string[]>();
    const loops = names.map(async (name) => {
      const client = clients.get(name)!;
      seen.set(name, []);
      while (running) {
        const reply = await client.cmd('f');
        if (reply.ok) seen.get(name)!.push(reply.values[0]!);
        await sleep(periodMs);
      }
    });
    return {
      seen,
      stop: async () => {
        running = false;
        await Promise.all(loops);
      },
    };
  };

  it('a frequency set on any port is seen by the others within 2 s', async () => {
    const polling = pollAll(
      PORTS.map((p) => p.name),
      100,
    );
    try {
      for (const [writer, hz] of [
        ['ts2000', '7074000'],
        ['ic7300', '14074000'],
        ['ft991a', '21074000'],
        ['ft817', '28074000'],
      ] as const) {
        expect((await clients.get(writer)!.cmd(`F ${hz}`)).ok).toBe(true);
        const started = Date.now();
        for (const p of PORTS) {
          await until(
            () => polling.seen.get(p.name)!.at(-1) === hz,
            2000,
            `${p.name} sees ${hz} from ${writer}`,
          );
        }
        expect(Date.now() - started).toBeLessThan(2000);
      }
    } finally {
      await polling.stop();
    }
  });

  it('the backend request rate does not grow with the number of clients polling at 10 Hz', async () => {
    const rate = async (names: string[]) => {
      const polling = pollAll(names, 100);
      await sleep(500);
      const before = backendRequests();
      const started = performance.now();
      await sleep(3000);
      const perSecond = ((backendRequests() - before) * 1000) / (performance.now() - started);
      await polling.stop();
      const reads = [...polling.seen.values()].reduce((n, v) => n + v.length, 0);
      return { perSecond, reads };
    };
    const one = await rate(['ts2000']);
    const four = await rate(PORTS.map((p) => p.name));
    // Four clients read about four times as much from the port side…
    expect(four.reads).toBeGreaterThan(2 * one.reads);
    // …and the radio sees about the same traffic (generous slack: this machine is shared).
    expect(four.perSecond).toBeLessThan(one.perSecond * 1.5 + 5);
  }, 30_000);

  it("one client's split-mode read and VFO B reads never reach the radio nor show on another port", async () => {
    const prober = clients.get('ic7300')!;
    const watcher = clients.get('ts2000')!;
    expect((await prober.cmd('S 1 VFOB')).ok).toBe(true);
    await until(
      async () => (await watcher.cmd('s')).values.join(' ') === '1 VFOB',
      2000,
      'split on everywhere',
    );
    const shared = harness.rig('radio');
    const writes: string[] = [];
    const onWrite = (e: { value: { field: string } }) => writes.push(e.value.field);
    shared.on('write', onWrite);
    const watched: string[] = [];
    let running = true;
    const watching = (async () => {
      while (running) {
        watched.push(`${(await watcher.cmd('s')).values.join(' ')} ${(await watcher.cmd('f')).values[0]}`);
        await sleep(50);
      }
    })();
    try {
      for (let i = 0; i < 5; i++) {
        // Icom split-mode read: 0F 00, 07 01, 25 00, 26 00, 07 00, 25 00, 0F 01 (research/hamlib.md §4.3).
        expect((await prober.cmd('x')).ok).toBe(true);
        // A VFO B read the way WSJT-X does it on an Icom: select B, read, select A.
        expect((await prober.cmd('V VFOB')).ok).toBe(true);
        await prober.cmd('f');
        expect((await prober.cmd('V VFOA')).ok).toBe(true);
      }
      await sleep(400);
    } finally {
      running = false;
      await watching;
      shared.off('write', onWrite);
    }
    expect(writes.filter((field) => field === 'vfo' || field === 'split')).toEqual([]);
    expect(new Set(watched).size).toBe(1);
    expect(watched.length).toBeGreaterThan(5);
    await prober.cmd('S 0 VFOA');
  });
});
