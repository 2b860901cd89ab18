/**
 * The client's comings and goings, with each way of noticing a returning client: the port survives
 * any number of closes and reopens, reports each, reports a SIGKILLed client's departure at once, and
 * burns no CPU while nobody is attached.
 */
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PtyPort } from '../../src/gateway/ports/pty-port.js';
import { answerKenwood, clientEvents, idleCpuMs, PyClient, tempDir, until } from './helpers.js';

const IDLE_CPU_BUDGET_MS = 100;

describe.each(['inotify', 'probe'] as const)('PtyPort lifecycle (%s)', (clientWatch) => {
  let dir: ReturnType<typeof tempDir>;
  let port: PtyPort;
  let client: PyClient;
  let events: boolean[];

  beforeEach(async () => {
    dir = tempDir('catbridge-pty-');
    port = await PtyPort.open({ name: 'life', link: join(dir.path, 'life'), clientWatch });
    answerKenwood(port);
    events = clientEvents(port);
    client = PyClient.start();
  });

  afterEach(async () => {
    await client.stop();
    await port.close();
    dir.remove();
  });

  it('uses the requested watch', () => {
    expect(port.clientWatch).toBe(clientWatch);
  });

  it('survives 50 closes and reopens, reporting each, on the same link', async () => {
    const device = port.path;
    for (let i = 0; i < 50; i++) {
      await client.call({ op: 'open', path: port.link });
      await until(() => events.length === 2 * i + 1, 2000, `open #${i + 1} reported`);
      expect(port.clientOpen).toBe(true);
      await client.call({ op: 'write', data: 'ID;' });
      expect((await client.call({ op: 'read', until: ';' })).data).toBe('ID019;');
      await client.call({ op: 'close' });
      await until(() => events.length === 2 * i + 2, 2000, `close #${i + 1} reported`);
      expect(port.clientOpen).toBe(false);
    }
    expect(events).toEqual(Array.from({ length: 100 }, (_, i) => i % 2 === 0));
    expect(port.path).toBe(device);
    expect(readlinkSync(port.link)).toBe(device);
    // No busy loop on the hung-up master once the last client has gone.
    expect(await idleCpuMs(1000)).toBeLessThan(IDLE_CPU_BUDGET_MS);
  });

  it('burns no CPU before any client has come', async () => {
    expect(await idleCpuMs(1000)).toBeLessThan(IDLE_CPU_BUDGET_MS);
    expect(events).toEqual([]);
  });

  it('reports a SIGKILLed client as gone within 1 s, then serves the next one', async () => {
    await client.call({ op: 'open', path: port.link });
    await until(() => port.clientOpen, 2000, 'client open');
    client.child.kill('SIGKILL');
    const killedAt = performance.now();
    await client.exited;
    await until(() => !port.clientOpen, 1000, 'departure of the killed client');
    expect(performance.now() - killedAt).toBeLessThan(1000);
    expect(events).toEqual([true, false]);

    client = PyClient.start();
    await client.call({ op: 'open', path: port.link });
    await client.call({ op: 'write', data: 'FA;' });
    expect((await client.call({ op: 'read', until: ';' })).data).toBe('FA00014074000;');
    await until(() => events.length === 3, 2000, 'second client reported');
    expect(events).toEqual([true, false, true]);
  });

  it('gives each new client raw mode, whatever the last one set', async () => {
    await client.call({ op: 'open', path: port.link });
    await until(() => events.length === 1, 2000, 'open reported');
    await client.call({ op: 'termios', baud: 9600, bits: 8, parity: 'N', stop: 2 });
    await until(() => port.lineSettings().baud === 9600, 2000, 'client settings visible');
    await client.call({ op: 'close' });
    await until(() => events.length === 2, 2000, 'close reported');
    expect(port.lineSettings()).toMatchObject({ baud: 38400, stopBits: 1, dataBits: 8, parity: 'none' });
    const reopened = await client.call({ op: 'open', path: port.link });
    expect(reopened).toMatchObject({ echo: false, icanon: false });
  });

  it('keeps serving after a client hangs the tty up (TIOCVHANGUP)', async () => {
    await client.call({ op: 'open', path: port.link });
    await until(() => port.clientOpen, 2000, 'client open');
    await client.call({ op: 'vhangup' });
    await client.call({ op: 'close' });
    await until(() => !port.clientOpen, 2000, 'departure after the hangup');
    expect(await idleCpuMs(500)).toBeLessThan(IDLE_CPU_BUDGET_MS / 2);
    await client.call({ op: 'open', path: port.link });
    await client.call({ op: 'write', data: 'ID;' });
    expect((await client.call({ op: 'read', until: ';' })).data).toBe('ID019;');
  });
});
