/**
 * System: the websocket /api/events over real HTTP, with real Hamlib `rigctl` clients on two ports
 * against a real `rigctld -m 1`: the decoded trace, state changes and backend calls reflect what the
 * clients did, and a subscription to one port shows only that port.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RigctlSession } from '../support/rigctl-session.js';
import { Rigctld, RigLink } from '../support/rigctld.js';
import { describeWithTools } from '../support/tools.js';
import { HttpStack } from './stack.js';
import { EventsClient, type ServerEvent } from './ws-client.js';

const SET_7074_CIV = 'FE FE 94 E0 25 00 00 40 07 07 00 FD';
const frameOf = (port: string, text: string) => (e: ServerEvent) =>
  e.type === 'frame' && e.port === port && (e.request as { text: string }).text === text;

describeWithTools(['rigctl', 'rigctld', 'stdbuf'], 'websocket events with real rigctl clients', () => {
  let rigctld: Rigctld;
  let stack: HttpStack;
  let ft8: RigctlSession;
  let logger: RigctlSession;

  beforeAll(async () => {
    rigctld = await Rigctld.start();
    stack = await HttpStack.start({ shack: { type: 'rigctld', address: `127.0.0.1:${rigctld.port}` } }, [
      { name: 'ft8', rig: 'ts2000', backend: 'shack' },
      { name: 'logger', rig: 'ic7300', backend: 'shack' },
    ]);
    // Hamlib's own cache off, so every read reaches the port (and the trace).
    const noCache = ['-C', 'cache_timeout=0'];
    ft8 = await RigctlSession.open(2014, stack.harness.links.ft8!, noCache);
    logger = await RigctlSession.open(3073, stack.harness.links.logger!, noCache);
  });

  afterAll(async () => {
    await ft8?.close();
    await logger?.close();
    await stack?.stop();
    await rigctld?.kill();
  });

  it('hello carries every port object and backend; the protocol is catbridge.v1', async () => {
    const client = await EventsClient.connect(stack.url);
    try {
      expect(client.socket.protocol).toBe('catbridge.v1');
      const hello = await client.waitFor((e) => e.type === 'hello');
      expect((hello.ports as { name: string }[]).map((p) => p.name)).toEqual(['ft8', 'logger']);
      expect(hello.backends).toMatchObject([{ name: 'shack', type: 'rigctld', connected: true }]);
      expect(hello.subscription).toEqual({ ports: null, trace: true, reads: false });
    } finally {
      client.close();
    }
  });

  it('a set frequency shows as a decoded frame, a backend call and a state change', async () => {
    const client = await EventsClient.connect(stack.url);
    try {
      await client.waitFor((e) => e.type === 'hello');
      expect((await ft8.cmd('F 14074000')).ok).toBe(true);
      expect((await ft8.cmd('f')).values).toEqual(['14074000']);

      const set = await client.waitFor(frameOf('ft8', 'FA00014074000;'), 3000, 'the FA set frame');
      expect(set).toMatchObject({
        kind: 'set',
        request: { hex: '46 41 30 30 30 31 34 30 37 34 30 30 30 3B' },
        reply: { hex: '', text: '' },
      });
      const get = await client.waitFor(
        (e) => frameOf('ft8', 'FA;')(e) && (e.reply as { text: string }).text === 'FA00014074000;',
        3000,
        'the FA; query frame after the set',
      );
      expect(get).toMatchObject({
        kind: 'query',
        meaning: 'get VFO A frequency → 14.074 000 MHz',
        reply: { text: 'FA00014074000;' },
        summary: 'FA; → get VFO A frequency → 14.074 000 MHz ⇐ FA00014074000;',
      });
      expect(Date.parse(get.at as string)).toBeGreaterThan(Date.now() - 10_000);

      const call = await client.waitFor(
        (e) => e.type === 'call' && e.call === 'set VFO A frequency 14.074 000 MHz',
      );
      expect(call).toMatchObject({ backend: 'shack', port: 'ft8', ok: true });
      // State is per backend and shown on every port of it: the Icom port's radio moved too.
      for (const port of ['ft8', 'logger']) {
        await client.waitFor(
          (e) => e.type === 'state' && e.port === port && (e.state as { freqA: number }).freqA === 14_074_000,
          3000,
          `state on ${port}`,
        );
      }
    } finally {
      client.close();
    }
  });

  it('a subscriber is a once-a-second reader: a change at the radio reaches it within 1.3 s', async () => {
    const client = await EventsClient.connect(stack.url);
    const radio = await RigLink.open(rigctld.port);
    try {
      await client.waitFor((e) => e.type === 'hello');
      // Let its rate be learnt, with nobody else reading (the rigctl sessions sit idle).
      await new Promise((resolve) => setTimeout(resolve, 2500));
      await radio.cmd('F 18100000');
      const changed = performance.now();
      await client.waitFor(
        (e) => e.type === 'state' && (e.state as { freqA: number }).freqA === 18_100_000,
        3000,
        'state with the new frequency',
      );
      expect(performance.now() - changed).toBeLessThan(1300);
    } finally {
      await radio.cmd('F 14074000');
      radio.close();
      client.close();
    }
  });

  it('a subscription to one port shows only that port; the Icom trace is hex', async () => {
    const onlyLogger = await EventsClient.connect(stack.url);
    const onlyFt8 = await EventsClient.connect(stack.url);
    try {
      await onlyLogger.waitFor((e) => e.type === 'hello');
      await onlyFt8.waitFor((e) => e.type === 'hello');
      onlyLogger.send({ type: 'subscribe', ports: ['logger'] });
      onlyFt8.send({ type: 'subscribe', ports: ['ft8'] });
      await onlyLogger.waitFor((e) => e.type === 'subscribed');
      await onlyFt8.waitFor((e) => e.type === 'subscribed');

      expect((await logger.cmd('F 7074000')).ok).toBe(true);
      expect((await ft8.cmd('f')).ok).toBe(true);
      // IC-7300 set frequency (Hamlib sends 25 00, "set selected VFO") with 7.074 000 MHz in BCD, little end first.
      const civ = await onlyLogger.waitFor(
        (e) =>
          e.type === 'frame' && e.port === 'logger' && (e.request as { hex: string }).hex === SET_7074_CIV,
        3000,
        'the CI-V set frequency frame',
      );
      expect(civ).toMatchObject({
        kind: 'set',
        summary: `${SET_7074_CIV} → set VFOA frequency 7.074 000 MHz ⇐ FE FE E0 94 FB FD`,
        reply: { hex: 'FE FE E0 94 FB FD', text: '······' },
      });
      await onlyFt8.waitFor(frameOf('ft8', 'FA;'), 3000, 'the ft8 frame');
      // Each has now seen its own port's traffic; neither saw the other's.
      expect(onlyLogger.events.some((e) => e.port === 'ft8')).toBe(false);
      expect(onlyFt8.events.some((e) => e.port === 'logger')).toBe(false);

      onlyFt8.send({ type: 'subscribe', ports: ['nope'] });
      expect(await onlyFt8.waitFor((e) => e.type === 'error')).toMatchObject({
        message: 'unknown port(s): nope',
      });
    } finally {
      onlyLogger.close();
      onlyFt8.close();
    }
  });

  it('a client that stops reading does not hold up a port', async () => {
    const stalled = await EventsClient.connect(stack.url);
    try {
      await stalled.waitFor((e) => e.type === 'hello');
      // The client's TCP socket stops reading: the server's writes back up into the kernel, then its queue.
      (stalled.socket as unknown as { _socket: { pause(): void } })._socket.pause();
      const started = performance.now();
      for (let i = 0; i < 200; i++) await ft8.cmd('f');
      const perCommandMs = (performance.now() - started) / 200;
      // rigctl's own turnaround per command is a few ms; a port waiting on the websocket would stall here.
      expect(perCommandMs).toBeLessThan(50);
    } finally {
      stalled.socket.terminate();
    }
  });
});
