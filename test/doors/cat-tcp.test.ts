/**
 * CAT over TCP (issue 14): a port's emulated radio on a TCP socket, driven by the real Hamlib 4.5.4
 * `rigctl -m <model> -r 127.0.0.1:<port>` (Hamlib takes host:port as a serial port for Kenwood and
 * Yaesu models), against a real `rigctld -m 1` and the built-in simulator. Asserted both ways, as the
 * pty contract tests are: what Hamlib reads back and what the radio behind ended up with.
 */
import { connect, type Socket } from 'node:net';
import { expect, it } from 'vitest';
import type { PortSession } from '../../src/gateway/ports/port-session.js';
import type { TcpCatPort } from '../../src/gateway/servers/tcp-cat-port.js';
import { driveModel, REACH_RADIO_MS } from '../contract/hamlib-scenario.js';
import { useContractRig } from '../contract/radio-side.js';
import { until } from '../support/gateway-harness.js';
import { RigctlSession } from '../support/rigctl-session.js';
import { describeWithTools } from '../support/tools.js';

const TCP = { tcp: '127.0.0.1:0' };

function address(session: PortSession): string {
  return `127.0.0.1:${(session.port as TcpCatPort).tcpPort}`;
}

async function connected(port: string): Promise<Socket> {
  const [host, p] = port.split(':');
  const socket = connect({ host: host!, port: Number(p) });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return socket;
}

function doorSuite(kind: 'rigctld' | 'sim'): void {
  const rig = useContractRig(kind, () => [
    // A pty and a TCP door on one port: two clients of the radio.
    { name: 'ts2000', rig: 'ts2000', backend: 'radio', extra: TCP },
    { name: 'ft991a', rig: 'ft991a', backend: 'radio', extra: { transport: 'tcp', ...TCP } },
    { name: 'ft817', rig: 'ft817', backend: 'radio', extra: { transport: 'tcp', ...TCP } },
    { name: 'ic7300', rig: 'ic7300', backend: 'radio', extra: { transport: 'tcp', ...TCP } },
    {
      name: 'quiet',
      rig: 'ts2000',
      backend: 'radio',
      extra: { transport: 'tcp', tcp: { listen: '127.0.0.1:0', ptt_idle_s: 1 } },
    },
  ]);
  const door = (name: string) => {
    const gateway = rig.harness.gateway;
    const session =
      gateway.tcpDoors.find((s) => s.rig.portName === `${name} (tcp)`) ??
      gateway.ports.find((s) => s.name === name);
    if (!session) throw new Error(`no TCP door for ${name}`);
    return session;
  };

  it('TS-2000 over TCP: Hamlib 2014 reads, QSYs both ways, modes, split, PTT', async () => {
    const client = await RigctlSession.open(2014, address(door('ts2000')));
    try {
      await driveModel(client, rig.radio, { dataMode: false, vfoSelect: true });
    } finally {
      await client.close();
    }
  });

  it('FT-991A (newcat) on a TCP-only port: Hamlib 1035 drives it', async () => {
    const client = await RigctlSession.open(1035, address(door('ft991a')));
    try {
      await driveModel(client, rig.radio, { dataMode: true, vfoSelect: false });
    } finally {
      await client.close();
    }
  });

  it('FT-817 (5-byte CAT) over TCP: Hamlib 1020 sets and reads frequency, mode and PTT', async () => {
    const client = await RigctlSession.open(1020, address(door('ft817')));
    try {
      expect((await client.cmd('F 7074010')).ok).toBe(true);
      await until(async () => (await rig.radio.freq('VFOA')) === 7_074_010, REACH_RADIO_MS, 'radio freq');
      expect((await client.cmd('f')).values).toEqual(['7074010']);
      expect((await client.cmd('M CW 0')).ok).toBe(true);
      await until(async () => (await rig.radio.mode('VFOA')).mode === 'CW', REACH_RADIO_MS, 'radio CW');
      expect((await client.cmd('M USB 0')).ok).toBe(true);
      expect((await client.cmd('T 1')).ok).toBe(true);
      await until(() => rig.radio.ptt(), REACH_RADIO_MS, 'radio keyed');
      expect((await client.cmd('T 0')).ok).toBe(true);
      await until(async () => !(await rig.radio.ptt()), REACH_RADIO_MS, 'radio unkeyed');
    } finally {
      await client.close();
    }
  });

  it('IC-7300 on TCP answers a raw CI-V client: frequency read, set, PTT (Hamlib uses UDP for Icom host:port)', async () => {
    const socket = await connected(address(door('ic7300')));
    const replies: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => replies.push(chunk));
    const exchange = async (hex: string, frames = 1) => {
      replies.length = 0;
      socket.write(Buffer.from(hex.replace(/ /g, ''), 'hex'));
      await until(
        () => (Buffer.concat(replies).toString('hex').match(/fd/g) ?? []).length >= frames,
        1000,
        hex,
      );
      return Buffer.concat(replies)
        .toString('hex')
        .toUpperCase()
        .replace(/(..)(?!$)/g, '$1 ');
    };
    try {
      // Set VFO frequency 7.074 000 MHz (05, BCD little-endian), then read it back (03).
      expect(await exchange('FE FE 94 E0 05 00 40 07 07 00 FD')).toBe('FE FE E0 94 FB FD');
      await until(async () => (await rig.radio.freq('VFOA')) === 7_074_000, REACH_RADIO_MS, 'radio freq');
      expect(await exchange('FE FE 94 E0 03 FD')).toBe('FE FE E0 94 03 00 40 07 07 00 FD');
      expect(await exchange('FE FE 94 E0 1C 00 01 FD')).toBe('FE FE E0 94 FB FD');
      await until(() => rig.radio.ptt(), REACH_RADIO_MS, 'keyed by the CI-V client');
      socket.destroy();
      await until(async () => !(await rig.radio.ptt()), 2000, 'unkeyed when the connection drops');
    } finally {
      socket.destroy();
    }
  });

  it('a keyed CAT client silent for ptt_idle_s is unkeyed and keeps its connection', async () => {
    const socket = await connected(address(door('quiet')));
    let closed = false;
    socket.on('close', () => {
      closed = true;
    });
    try {
      socket.write('TX;');
      await until(() => rig.radio.ptt(), REACH_RADIO_MS, 'keyed by TX;');
      const ms = await until(async () => !(await rig.radio.ptt()), 3000, 'unkeyed after 1 s of silence');
      expect(ms).toBeGreaterThan(500);
      expect(closed).toBe(false);
    } finally {
      socket.destroy();
    }
  });

  it('one client at a time: a second connection is closed at once, the first keeps working', async () => {
    const port = address(door('ts2000'));
    const client = await RigctlSession.open(2014, port);
    try {
      await until(() => door('ts2000').port.clientOpen, 1000, 'first client attached');
      const second = await connected(port);
      const closedMs = await new Promise<number>((resolve) => {
        const started = Date.now();
        second.on('error', () => {});
        second.once('close', () => resolve(Date.now() - started));
      });
      expect(closedMs).toBeLessThan(1000);
      expect((await client.cmd('f')).ok).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('PTT is released when the TCP client is killed, and a pty client keyed meanwhile is refused', async () => {
    const tcpClient = await RigctlSession.open(2014, address(door('ts2000')));
    const ptyClient = await RigctlSession.open(2014, rig.harness.links.ts2000!);
    try {
      expect((await tcpClient.cmd('T 1')).ok).toBe(true);
      await until(() => rig.radio.ptt(), REACH_RADIO_MS, 'radio keyed by the TCP client');
      // The one-transmitter rule across doors: the pty's TS-2000 answers its own refusal (`?;`).
      expect((await ptyClient.cmd('T 1')).ok).toBe(false);
      await tcpClient.kill();
      await until(async () => !(await rig.radio.ptt()), 2000, 'radio unkeyed after the kill');
      // Once the TCP client is gone, the pty's client may transmit.
      expect((await ptyClient.cmd('T 1')).ok).toBe(true);
      await until(() => rig.radio.ptt(), REACH_RADIO_MS, 'radio keyed by the pty client');
      expect((await ptyClient.cmd('T 0')).ok).toBe(true);
      await until(async () => !(await rig.radio.ptt()), REACH_RADIO_MS, 'radio unkeyed');
    } finally {
      await tcpClient.close();
      await ptyClient.close();
    }
  });
}

describeWithTools(['rigctl', 'rigctld'], 'CAT over TCP, rigctld -m 1 behind', () => doorSuite('rigctld'));
describeWithTools(['rigctl'], 'CAT over TCP, simulator behind', () => doorSuite('sim'));
