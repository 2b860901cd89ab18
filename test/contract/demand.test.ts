import { afterAll, beforeAll, expect, it } from 'vitest';
import { DelayRelay } from '../scenarios/support/relay.js';
import { CatClient } from '../support/cat-client.js';
import { GatewayHarness, until } from '../support/gateway-harness.js';
import { Rigctld, RigLink } from '../support/rigctld.js';
import { describeWithTools } from '../support/tools.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The command name of a line the gateway sent rigctld (`+\get_vfo_info VFOA` → `\get_vfo_info VFOA`). */
const command = (line: string) => line.replace(/^\+/, '').trim();

/**
 * Demand-driven polling against a real rigctld: the gateway asks the radio only what clients read,
 * when they read it, and nothing when nobody reads. Every line the gateway sends passes a relay that
 * records it.
 */
describeWithTools(['rigctld'], 'spare the radio: demand-driven polling (real rigctld)', () => {
  let rigctld: Rigctld;
  let relay: DelayRelay;
  let harness: GatewayHarness;
  let radio: RigLink;

  beforeAll(async () => {
    rigctld = await Rigctld.start();
    relay = await DelayRelay.start(rigctld.port, 0);
    harness = await GatewayHarness.start({ radio: { type: 'rigctld', address: `127.0.0.1:${relay.port}` } }, [
      { name: 'ts2000', rig: 'ts2000', backend: 'radio' },
      { name: 'other', rig: 'ts2000', backend: 'radio' },
      { name: 'civ', rig: 'ic7300', backend: 'radio', extra: { transceive: true } },
      { name: 'icom', rig: 'ic7300', backend: 'radio' },
    ]);
    radio = await RigLink.open(rigctld.port);
    await until(() => harness.rig('radio').radioKnown, 3000, 'radio read');
  });
  afterAll(async () => {
    radio?.close();
    await harness?.stop();
    await relay?.close();
    await rigctld?.kill();
  });

  const linesBetween = (from: number, to: number) =>
    relay.sent.filter((l) => l.at >= from && l.at < to).map((l) => command(l.line));

  it('asks nothing at all while no client is attached', async () => {
    await sleep(500);
    const from = performance.now();
    await sleep(4000);
    expect(linesBetween(from, performance.now())).toEqual([]);
  });

  it('a client reading only the frequency makes the gateway read only that VFO', async () => {
    const client = new CatClient(harness.links.ts2000!);
    try {
      // Settle into the client's rhythm (the open read, then its rate learnt), then watch.
      for (let i = 0; i < 4; i++) {
        expect(await client.ask('FA;')).toMatch(/^FA\d{11};$/);
        await sleep(500);
      }
      const from = performance.now();
      for (let i = 0; i < 8; i++) {
        expect(await client.ask('FA;')).toMatch(/^FA\d{11};$/);
        await sleep(500);
      }
      const sent = linesBetween(from, performance.now());
      expect(new Set(sent)).toEqual(new Set(['\\get_vfo_info VFOA']));
      // One read per client read, not more (8 reads in 4 s).
      expect(sent.length).toBeLessThanOrEqual(9);
    } finally {
      client.close();
    }
  });

  it('sees a change at the radio within its reading period plus 300 ms', async () => {
    const client = new CatClient(harness.links.ts2000!);
    try {
      for (let i = 0; i < 4; i++) {
        await client.ask('FA;');
        await sleep(1000);
      }
      await radio.cmd('F 7074000');
      const changed = performance.now();
      let seenAfter = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 3 && !Number.isFinite(seenAfter); i++) {
        if ((await client.ask('FA;')) === 'FA00007074000;') seenAfter = performance.now() - changed;
        else await sleep(1000);
      }
      expect(seenAfter).toBeLessThan(1000 + 300);
    } finally {
      client.close();
      await radio.cmd('F 14074000');
    }
  });

  it('the first read of a part nobody polls waits for a fresh read of it', async () => {
    const client = new CatClient(harness.links.ts2000!);
    try {
      for (let i = 0; i < 3; i++) {
        await client.ask('FA;');
        await sleep(300);
      }
      // VFO B turned by hand while only VFO A is read: the next FB; must not come from the cache.
      await radio.cmd('V VFOB');
      await radio.cmd('F 10136000');
      await radio.cmd('V VFOA');
      const from = performance.now();
      expect(await client.ask('FB;')).toBe('FB00010136000;');
      expect(linesBetween(from, performance.now())).toContain('\\get_vfo_info VFOB');
      expect(harness.session('ts2000').stats.staleHolds).toBeGreaterThan(0);
    } finally {
      client.close();
    }
  });

  it('an unkey sent right behind a read of a part nobody polls is not held behind that read', async () => {
    const client = new CatClient(harness.links.ts2000!);
    try {
      for (let i = 0; i < 3; i++) {
        await client.ask('FA;');
        await sleep(300);
      }
      client.send('TX;');
      await until(() => radio.ptt(), 1000, 'keyed');
      // A slow radio: each answer takes longer than the TS-2000's 200 ms Hamlib timeout. FB; reads VFO B,
      // which nobody has read, so it waits for a fresh read; the RX; behind it must not wait with it
      // (nor be dropped with it when that wait outlasts the client's timeout).
      relay.delayMs = 400;
      const from = performance.now();
      client.send('FB;');
      await sleep(10);
      client.send('RX;');
      const unkeyedAfter = await until(async () => !(await radio.ptt()), 1000, 'unkeyed within 1 s');
      expect(unkeyedAfter).toBeLessThan(1000);
      expect(harness.session('ts2000').stats.staleHolds).toBeGreaterThan(0);
      // Only what the client asked reached the radio: no key again, no other write.
      relay.delayMs = 0;
      await sleep(1000);
      expect(await radio.ptt()).toBe(false);
      const writes = relay.writesSince(from).map((l) => command(l.line));
      expect(new Set(writes)).toEqual(new Set(['T currVFO 0']));
    } finally {
      relay.delayMs = 0;
      client.close();
    }
  });

  it('a client that only listens to CI-V transceive is a reader: a change at the radio reaches it', async () => {
    const client = new CatClient(harness.links.civ!);
    try {
      await sleep(1500);
      await radio.cmd('F 3573000');
      // FE FE 00 94 00 <3573000 Hz in BCD: 00 30 57 03 00> FD: the IC-7300's report, to everyone (00).
      const reports = await client.collect(2000);
      expect(reports.toString('hex')).toContain('fefe0094000030570300fd');
    } finally {
      client.close();
      await radio.cmd('F 14074000');
    }
  });

  it('a client gone leaves no reader behind (an emulator resetting itself reads the rig)', async () => {
    const client = new CatClient(harness.links.icom!);
    // FE FE 94 E0 03 FD: read the operating frequency.
    expect((await client.ask('\xfe\xfe\x94\xe0\x03\xfd', 1000, '\xfd')).length).toBeGreaterThan(0);
    expect(harness.rig('radio').readers()).toMatchObject({ vfoA: 1 });
    client.close();
    await until(() => Object.keys(harness.rig('radio').readers()).length === 0, 1000, 'no readers left');
    await sleep(1500);
    expect(harness.rig('radio').readers()).toEqual({});
  });

  it('two clients at other phases cost the radio no more than the faster one', async () => {
    const a = new CatClient(harness.links.ts2000!);
    const b = new CatClient(harness.links.other!);
    let running = true;
    const reader = async (client: CatClient, offset: number) => {
      await sleep(offset);
      while (running) {
        await client.ask('FA;IF;');
        await sleep(1000);
      }
    };
    const loops = [reader(a, 0), reader(b, 430)];
    try {
      await sleep(4000);
      const from = performance.now();
      await sleep(6000);
      const sent = linesBetween(from, performance.now());
      const perSecond = sent.length / 6;
      // One client reading FA;IF; (VFO A, RX VFO, PTT, split) every second costs about 4 requests/s.
      expect(perSecond).toBeLessThanOrEqual(5);
    } finally {
      running = false;
      await Promise.all(loops);
      a.close();
      b.close();
    }
  });
});
