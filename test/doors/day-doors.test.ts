/**
 * The core of "a day in a real shack" through the network doors: a program connects, reads and goes;
 * the radio is moved by hand while nobody is connected; a program connects again 0.3 s later — and its
 * first answer is the radio as it is now, and the radio is exactly as the hand left it. Also a client
 * that connects and sends nothing, and a one-shot `F` that must still reach the radio. Through the
 * rigctld door (`rigctl -m 2`) and a CAT-over-TCP door (`rigctl -m 2014 -r host:port`), with real
 * one-shot rigctl processes against a real `rigctld -m 1`.
 */
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import type { TcpCatPort } from '../../src/gateway/servers/tcp-cat-port.js';
import { useContractRig } from '../contract/radio-side.js';
import { until } from '../support/gateway-harness.js';
import { rigctlCmd } from '../support/rigctld.js';
import { describeWithTools } from '../support/tools.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithTools(['rigctl', 'rigctld'], 'a day in the shack through the doors', () => {
  const ctx = useContractRig(
    'rigctld',
    () => [
      { name: 'ts2000', rig: 'ts2000', backend: 'radio', extra: { transport: 'tcp', tcp: '127.0.0.1:0' } },
    ],
    { hamlib: { type: 'rigctld', listen: '127.0.0.1:0', backend: 'radio' } },
  );
  const doors = () => [
    { door: 'rigctld door', model: 2, address: `127.0.0.1:${ctx.harness.gateway.servers[0]!.port}` },
    {
      door: 'CAT-over-TCP door',
      model: 2014,
      address: `127.0.0.1:${(ctx.harness.gateway.ports[0]!.port as TcpCatPort).tcpPort}`,
    },
  ];
  const rigctl = async (model: number, address: string, ...commands: string[]) =>
    (await run('rigctl', ['-m', String(model), '-r', address, ...commands], { timeout: 15_000 })).stdout
      .trim()
      .split('\n');
  /** The radio's state as rigctld -m 1 holds it, read behind the gateway's back. */
  const radioState = async () => ({
    freqA: await ctx.radio.freq('VFOA'),
    freqB: await ctx.radio.freq('VFOB'),
    mode: await ctx.radio.mode('VFOA'),
    split: await ctx.radio.split(),
    vfo: await ctx.radio.vfo(),
    ptt: await ctx.radio.ptt(),
  });

  for (const index of [0, 1]) {
    it(`${index === 0 ? 'rigctld' : 'CAT-over-TCP'} door: the first answer after a QSY by hand is the radio as it is now`, async () => {
      const { model, address } = doors()[index]!;
      const start = 14_074_000 + index * 10_000;
      await ctx.radio.setFreqA(start);
      // A program connects, reads, goes.
      expect(await rigctl(model, address, 'f')).toEqual([String(start)]);
      // The hand turns the dial and changes the mode while nobody is connected.
      const byHand = 7_074_000 + index * 1_000;
      await ctx.radio.setFreqA(byHand);
      await rigctlCmd(ctx.rigctld!.port, 'M CW 500');
      const before = await radioState();
      await sleep(300);
      // The next program's first answers are the radio now — not the cache of before the QSY.
      expect(await rigctl(model, address, 'f', 'm')).toEqual([
        String(byHand),
        'CW',
        expect.stringMatching(/^\d+$/),
      ]);
      await sleep(500);
      expect(await radioState(), 'the radio is exactly as the hand left it').toEqual(before);
      await rigctlCmd(ctx.rigctld!.port, 'M USB 2400');
    });

    it(`${index === 0 ? 'rigctld' : 'CAT-over-TCP'} door: a silent client moves nothing, a one-shot F reaches the radio`, async () => {
      const { model, address } = doors()[index]!;
      const before = await radioState();
      const [host, port] = address.split(':');
      const silent = connect({ host: host!, port: Number(port) });
      silent.on('error', () => {});
      await sleep(1000);
      silent.destroy();
      await sleep(300);
      expect(await radioState()).toEqual(before);
      const target = 10_136_000 + index * 1_000;
      await rigctl(model, address, 'F', String(target));
      await until(
        async () => (await ctx.radio.freq('VFOA')) === target,
        2000,
        `one-shot F ${target} reached the radio`,
      );
    });
  }
});
