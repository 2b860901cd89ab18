/**
 * When a door drops a client's bytes unanswered (PortSession's hold: a fresh read of the radio did not
 * come within the client's timeout), the client is still connected and keeps what it set up: a rigctld
 * connection its VFO mode (`\set_vfo_opt 1`), a Kenwood client on CAT over TCP its auto-information
 * mode (`AI2;`). Real rigctld 4.5.4 and a real radio forget neither while the client stays. Every answer
 * of the radio (a real `rigctld -m 1`) passes a relay that can delay it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TcpCatPort } from '../../src/gateway/servers/tcp-cat-port.js';
import { DelayRelay } from '../scenarios/support/relay.js';
import { GatewayHarness, until } from '../support/gateway-harness.js';
import { Rigctld } from '../support/rigctld.js';
import { describeWithTools } from '../support/tools.js';
import { RawClient } from './raw-client.js';

/** The rigctld door's hold (netrigctl's 10 s timeout less 50 ms, rigctld-door.ts) and a margin. */
const RIGCTLD_DROP_MS = 9_950 + 3_000;

/** A Kenwood command's answer on a CAT-over-TCP door; unsolicited IF reports (AI2) before it do not count. */
async function catAsk(client: RawClient, command: string, timeoutMs = 3000): Promise<string> {
  client.send(command);
  const prefix = command.slice(0, 2);
  const answer = () => client.received.split(';').find((frame) => frame.startsWith(prefix));
  await until(() => answer() !== undefined, timeoutMs, `an answer to ${command}`);
  return `${answer()};`;
}

describeWithTools(['rigctld'], 'a door that drops unanswered bytes keeps the client’s settings', () => {
  let rigctld: Rigctld;
  let relay: DelayRelay;
  let harness: GatewayHarness;

  beforeAll(async () => {
    rigctld = await Rigctld.start();
    relay = await DelayRelay.start(rigctld.port, 0);
    harness = await GatewayHarness.start(
      // grace_ms longer than the rigctld door's hold: a radio silent that long is still "there", so the
      // door drops the held line rather than answering RPRT -6.
      { radio: { type: 'rigctld', address: `127.0.0.1:${relay.port}`, grace_ms: 60_000 } },
      [
        {
          name: 'ts2000tcp',
          rig: 'ts2000',
          backend: 'radio',
          extra: { transport: 'tcp', tcp: '127.0.0.1:0', auto_info: true },
        },
      ],
      { hamlib: { type: 'rigctld', listen: '127.0.0.1:0', backend: 'radio' } },
    );
    await until(() => harness.rig('radio').radioKnown, 3000, 'radio read');
  });
  afterAll(async () => {
    await harness?.stop();
    await relay?.close();
    await rigctld?.kill();
  });

  it('rigctld door: a connection keeps its VFO mode after a held line is dropped', async () => {
    const door = harness.gateway.servers[0]!;
    const raw = await RawClient.open(door.port);
    try {
      expect(await raw.ask('\\set_vfo_opt 1')).toBe('RPRT 0\n');
      expect(await raw.ask('\\chk_vfo')).toBe('1\n');
      const session = [...door.clients][0]!.session;
      // VFO B, read at the connect and by nobody since, is soon too old to answer from. The radio then
      // stops answering within the backend's 1 s request timeout: VFO B cannot be read fresh, and after
      // the client's 10 s the line is dropped unanswered.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      relay.delayMs = 1500;
      raw.socket.write('f VFOB\n');
      await until(() => session.stats.unansweredStale > 0, RIGCTLD_DROP_MS, 'the held line dropped');
      relay.delayMs = 0;
      // Still in VFO mode: `\chk_vfo` says so, and a set names its VFO (outside VFO mode `F VFOB 14076000`
      // is a set_freq of "VFOB" Hz: RPRT -1).
      expect(await raw.ask('\\chk_vfo', 10_000)).toBe('1\n');
      expect(await raw.ask('F VFOB 14076000')).toBe('RPRT 0\n');
      expect(await raw.ask('+f VFOB')).toBe('get_freq: VFOB\nFrequency: 14076000\nRPRT 0\n');
    } finally {
      relay.delayMs = 0;
      raw.close();
    }
  }, 30_000);

  it('CAT over TCP: a Kenwood client keeps AI2 after a held command is dropped', async () => {
    const session = harness.session('ts2000tcp');
    const client = await RawClient.open((session.port as TcpCatPort).tcpPort);
    try {
      expect(await catAsk(client, 'FA;')).toMatch(/^FA\d{11};$/);
      client.send('AI2;');
      expect(await catAsk(client, 'AI;')).toBe('AI2;');
      // Answers slower than the TS-2000's 200 ms Hamlib timeout: a read of VFO B (`FB;`, read at the
      // connect and by nobody since) waits for a fresh read that comes too late, and is dropped.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const before = session.stats.unansweredStale;
      relay.delayMs = 400;
      client.send('FB;');
      await until(() => session.stats.unansweredStale > before, 2000, 'the held command dropped');
      relay.delayMs = 0;
      // The read in flight comes back 400 ms after it left; bytes sent before that would wait behind it.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await catAsk(client, 'AI;')).toBe('AI2;');
    } finally {
      relay.delayMs = 0;
      client.close();
    }
  });
});
