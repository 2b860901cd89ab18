/**
 * Bytes through a real pty with a real client process: both ways, timestamped where read, fast, never
 * blocking the event loop, bounded when the client does not read; the client's line settings; close.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { monotonicMs } from '../../src/gateway/ports/pty-native.js';
import { PtyPort } from '../../src/gateway/ports/pty-port.js';
import { answerKenwood, blockEventLoop, clientEvents, PyClient, tempDir, until } from './helpers.js';

const QUEUE_CAP = 64 * 1024;

describe('PtyPort I/O', () => {
  let dir: ReturnType<typeof tempDir>;
  let port: PtyPort;
  let client: PyClient;

  beforeEach(async () => {
    dir = tempDir('catbridge-pty-');
    port = await PtyPort.open({ name: 'io', link: join(dir.path, 'io') });
    client = PyClient.start();
  });

  afterEach(async () => {
    await client.stop();
    await port.close();
    dir.remove();
  });

  it('carries bytes both ways, stamped with when they were read', async () => {
    const chunks: { text: string; readAtMs: number }[] = [];
    port.on('data', (bytes, readAtMs) =>
      chunks.push({ text: Buffer.from(bytes).toString('latin1'), readAtMs }),
    );
    await client.call({ op: 'open', path: port.link });
    await until(() => port.clientOpen, 2000, 'client open');
    const before = monotonicMs();
    await client.call({ op: 'write', data: 'FA;\x00\xff' });
    await until(() => chunks.map((c) => c.text).join('') === 'FA;\x00\xff', 2000, 'bytes from the client');
    const after = monotonicMs();
    for (const chunk of chunks) {
      expect(chunk.readAtMs).toBeGreaterThanOrEqual(before);
      expect(chunk.readAtMs).toBeLessThanOrEqual(after);
    }
    port.write(Buffer.from('FA00014074000;\x00\xff', 'latin1'));
    expect((await client.call({ op: 'read', until: '\xff' })).data).toBe('FA00014074000;\x00\xff');
    expect(port.stats()).toMatchObject({ bytesIn: 5, bytesOut: 16, queuedBytes: 0, droppedOverflowBytes: 0 });
  });

  it('answers a round trip in well under 1 ms (median, measured by the client)', async () => {
    answerKenwood(port);
    await client.call({ op: 'open', path: port.link });
    const rtt = await client.call({ op: 'rtt', query: 'FA;', count: 500 });
    console.info(
      `pty round trip: p50 ${Number(rtt.p50_us).toFixed(0)} µs, p99 ${Number(rtt.p99_us).toFixed(0)} µs`,
    );
    expect(rtt.p50_us).toBeLessThan(1000);
  });

  it("reads back the client's line settings (38400 8E2)", async () => {
    await client.call({ op: 'open', path: port.link });
    await client.call({ op: 'termios', baud: 38400, bits: 8, parity: 'E', stop: 2 });
    await until(() => port.lineSettings().stopBits === 2, 2000, 'settings visible');
    // Linux's pty driver forces CS8 and clears PARENB on every tcsetattr (drivers/tty/pty.c), so
    // parity cannot be seen there; baud and stop bits can.
    const parity = process.platform === 'linux' ? 'none' : 'even';
    expect(port.lineSettings()).toEqual({ baud: 38400, dataBits: 8, parity, stopBits: 2 });
    await client.call({ op: 'termios', baud: 9600, bits: 8, parity: 'N', stop: 1 });
    await until(() => port.lineSettings().baud === 9600, 2000, 'a client re-applying its settings');
    expect(port.lineSettings()).toEqual({ baud: 9600, dataBits: 8, parity: 'none', stopBits: 1 });
  });

  it('never blocks or grows past the cap when the client does not read', async () => {
    await client.call({ op: 'open', path: port.link });
    await until(() => port.clientOpen, 2000, 'client open');
    const chunk = Buffer.alloc(4096, 0x41);
    const started = performance.now();
    for (let i = 0; i < 256; i++) port.write(chunk); // 1 MiB at a client that reads nothing
    expect(performance.now() - started).toBeLessThan(250);
    const full = port.stats();
    expect(full.queuedBytes).toBe(QUEUE_CAP);
    expect(full.droppedOverflowBytes).toBeGreaterThan(0);
    expect(full.bytesOut + full.queuedBytes + full.droppedOverflowBytes).toBe(256 * 4096);
    // What was queued reaches the client once it reads, and nothing more.
    const drained = await client.call({ op: 'drain', seconds: 1 });
    expect(drained.bytes).toBe(full.bytesOut + full.queuedBytes);
    expect(port.stats()).toMatchObject({ queuedBytes: 0, bytesOut: full.bytesOut + full.queuedBytes });
  });

  it('drops writes while no client is attached', async () => {
    port.write(Buffer.from('IF;'));
    expect(port.stats()).toMatchObject({ bytesOut: 0, droppedNoClientBytes: 3 });
  });

  it('sees a client that closes and reopens faster than the event loop runs', async () => {
    const events = clientEvents(port);
    answerKenwood(port);
    await client.call({ op: 'open', path: port.link });
    await until(() => events.length === 1, 2000, 'open reported');
    await client.call({ op: 'reopen_later', path: port.link, delay: 0.05 });
    // Close and reopen both happen while the loop is stuck: there is no hangup left to see.
    blockEventLoop(400);
    await until(() => events.length === 3, 2000, 'departure and arrival reported');
    expect(events).toEqual([true, false, true]);
    await client.call({ op: 'write', data: 'ID;' });
    expect((await client.call({ op: 'read', until: ';' })).data).toBe('ID019;');
  });

  it('reports a quick open-and-close (stty -F) as both', async () => {
    const events = clientEvents(port);
    execFileSync('stty', ['-F', port.link, '19200']);
    await until(() => events.length === 2, 2000, 'open and close of stty');
    expect(events).toEqual([true, false]);
  });

  it('does not take one holder of several leaving for a departure', async () => {
    const events = clientEvents(port);
    await client.call({ op: 'open', path: port.link });
    const second = PyClient.start();
    try {
      await second.call({ op: 'open', path: port.link });
      await second.call({ op: 'close' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(events).toEqual([true]);
      expect(port.clientOpen).toBe(true);
    } finally {
      await second.stop();
    }
    await client.call({ op: 'close' });
    await until(() => events.length === 2, 2000, 'last holder gone');
    expect(events).toEqual([true, false]);
  });

  it('closes idempotently: the client reads EOF, the link goes, no event follows', async () => {
    const events = clientEvents(port);
    await client.call({ op: 'open', path: port.link });
    await until(() => events.length === 1, 2000, 'open reported');
    await port.close();
    await port.close();
    expect(existsSync(port.link)).toBe(false);
    expect((await client.call({ op: 'read', until: ';', timeout: 2 })).timeout).toBe('eof');
    await client.call({ op: 'close' });
    port.write(Buffer.from('FA;')); // harmless after close
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events).toEqual([true]);
    expect(port.clientOpen).toBe(false);
    expect(() => port.lineSettings()).toThrow(/closed/);
  });
});
