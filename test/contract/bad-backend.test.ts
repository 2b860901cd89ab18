/**
 * A backend that misbehaves must cost only its own ports: real rigctld behind a proxy that answers
 * garbage or an endless line, beside the simulator; and a real rigctld killed and restarted under a
 * polling Hamlib client.
 */
import type { EventEmitter } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FaultyProxy } from '../support/faulty-proxy.js';
import { GatewayHarness, until } from '../support/gateway-harness.js';
import { RigctlSession } from '../support/rigctl-session.js';
import { Rigctld, rigctlCmd } from '../support/rigctld.js';
import { describeWithTools } from '../support/tools.js';

const NO_CACHE = ['-C', 'cache_timeout=0'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithTools(['rigctl', 'rigctld', 'stdbuf'], 'a misbehaving backend', () => {
  let rigctld: Rigctld;
  let proxy: FaultyProxy;
  let harness: GatewayHarness;

  beforeAll(async () => {
    rigctld = await Rigctld.start();
    proxy = await FaultyProxy.start(rigctld.port);
    harness = await GatewayHarness.start(
      {
        bad: { type: 'rigctld', address: `127.0.0.1:${proxy.port}`, grace_ms: 500 },
        good: { type: 'sim' },
        direct: { type: 'rigctld', address: `127.0.0.1:${rigctld.port}` },
      },
      [
        { name: 'on-bad', rig: 'ts2000', backend: 'bad' },
        { name: 'on-good', rig: 'ic7300', backend: 'good' },
        { name: 'on-direct', rig: 'ts2000', backend: 'direct' },
      ],
    );
  });

  afterAll(async () => {
    await harness?.stop();
    await proxy?.close();
    await rigctld?.kill();
  });

  for (const mode of ['garbage', 'flood'] as const) {
    it(`a backend answering ${mode === 'flood' ? 'an endless line' : 'garbage'} is dropped and logged; the other backends keep serving`, async () => {
      const good = await RigctlSession.open(3073, harness.links['on-good']!, NO_CACHE);
      // A client on the bad backend's port too: the gateway polls that backend while it is attached.
      const victim = openSync(harness.links['on-bad']!, 'r+');
      const bad = harness.rig('bad');
      try {
        await until(() => bad.backend.connected, 2000, 'bad backend connected');
        const rss = process.memoryUsage().rss;
        let drops = 0;
        const onDrop = () => drops++;
        const emitter = bad.backend as unknown as EventEmitter;
        emitter.on('disconnected', onDrop);
        proxy.mode = mode;
        await until(() => drops > 0, 3000, 'bad backend dropped');
        emitter.off('disconnected', onDrop);
        expect(bad.status().lastError).toBeTruthy();
        // Meanwhile the port on the other backend answers as always.
        for (let i = 0; i < 10; i++) {
          const reply = await good.cmd('f');
          expect(reply.ok).toBe(true);
          expect(reply.ms).toBeLessThan(500);
        }
        // An endless answer is not buffered.
        expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1024 * 1024);
        proxy.mode = 'pass';
        await until(() => bad.backend.connected, 3000, 'bad backend back once it behaves');
      } finally {
        proxy.mode = 'pass';
        closeSync(victim);
        await good.close();
      }
    });
  }

  it('rigctld killed and restarted under a polling client: no hang, back within 2 s, no stale value after', async () => {
    const client = await RigctlSession.open(2014, harness.links['on-direct']!, NO_CACHE);
    const direct = harness.rig('direct');
    let running = true;
    const replies: { ok: boolean; ms: number; value: string | undefined; at: number }[] = [];
    const polling = (async () => {
      while (running) {
        const reply = await client.cmd('f', 15_000);
        replies.push({ ok: reply.ok, ms: reply.ms, value: reply.values[0], at: Date.now() });
        await sleep(100);
      }
    })();
    try {
      await rigctlCmd(rigctld.port, 'F 7074000');
      await until(() => replies.at(-1)?.value === '7074000', 2000, 'client sees 7074000');
      await rigctld.kill();
      await until(() => !direct.backend.connected, 2000, 'loss noticed');
      await sleep(1000);
      await rigctld.spawn(); // a fresh dummy radio: its frequency is not the one before
      const fresh = /^Frequency: (\d+)$/m.exec(
        (await rigctlCmd(rigctld.port, 'f'))[0]?.join('\n') ?? '',
      )?.[1];
      expect(fresh).toBeDefined();
      expect(fresh).not.toBe('7074000');
      const back = Date.now();
      await until(() => replies.at(-1)?.value === fresh, 2000, `client sees the restarted radio (${fresh})`);
      // Once the restarted radio was seen, the old frequency never comes back.
      const seenAt = replies.findIndex((r) => r.at >= back && r.value === fresh);
      await sleep(1000);
      expect(replies.slice(seenAt).every((r) => r.value !== '7074000')).toBe(true);
      // No command ever hung.
      expect(Math.max(...replies.map((r) => r.ms))).toBeLessThan(5000);
    } finally {
      running = false;
      await polling;
      await client.close();
    }
  }, 60_000);
});
