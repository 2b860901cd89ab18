/**
 * LAN access (issue 14 "Security"), on this machine's loopback network: a door listening on 0.0.0.0
 * with `allow: [127.0.0.2/32]` keeps a connection from 127.0.0.2 and closes one from 127.0.0.3 at once,
 * and says so in the log. The same for IPv6 on `::`.
 */
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type DoorListener, listenDoor } from '../../src/gateway/servers/door-listener.js';

function logSink(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

/** Connects from `localAddress`; resolves how it ended: kept open for 300 ms, or closed (and when). */
async function fate(host: string, port: number, localAddress: string): Promise<'kept' | number> {
  const started = Date.now();
  const socket: Socket = connect({ host, port, localAddress });
  socket.on('error', () => {});
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('kept');
    }, 300);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
  });
}

describe('door allow lists on a wildcard listener', () => {
  let door: DoorListener | undefined;
  afterEach(async () => {
    await door?.close();
  });

  it('0.0.0.0 with allow [127.0.0.2/32]: 127.0.0.2 is served, 127.0.0.3 is closed at once and logged', async () => {
    const { logger, lines } = logSink();
    const accepted: string[] = [];
    door = await listenDoor({
      what: 'test door',
      listen: '0.0.0.0:0',
      allow: ['127.0.0.2/32'],
      logger,
      onConnection: (socket) => accepted.push(socket.remoteAddress ?? ''),
    });
    expect(await fate('127.0.0.1', door.port, '127.0.0.2')).toBe('kept');
    const closedAfterMs = await fate('127.0.0.1', door.port, '127.0.0.3');
    expect(closedAfterMs).toBeLessThan(300);
    expect(accepted).toEqual(['127.0.0.2']);
    const refusal = lines.map((l) => JSON.parse(l)).find((l) => l.remote === '127.0.0.3');
    expect(refusal).toMatchObject({
      door: 'test door',
      msg: 'connection from an address not in allow: closed',
    });
  });

  it(':: with an IPv6 allow list: ::1 listed is served, 127.0.0.4 (mapped, unlisted) is closed', async () => {
    const { logger } = logSink();
    const accepted: string[] = [];
    door = await listenDoor({
      what: 'v6 door',
      listen: '[::]:0',
      allow: ['::1/128'],
      logger,
      onConnection: (socket) => accepted.push(socket.remoteAddress ?? ''),
    });
    expect(await fate('::1', door.port, '::1')).toBe('kept');
    expect(await fate('127.0.0.1', door.port, '127.0.0.4')).toEqual(expect.any(Number));
    expect(accepted).toEqual(['::1']);
  });

  it('a busy address is a start-up error naming the door and what to move', async () => {
    const { logger } = logSink();
    door = await listenDoor({ what: 'first', listen: '127.0.0.1:0', logger, onConnection: () => {} });
    await expect(
      listenDoor({
        what: 'server "hamlib"',
        listen: `127.0.0.1:${door.port}`,
        logger,
        onConnection: () => {},
      }),
    ).rejects.toThrow(/server "hamlib" cannot listen: 127\.0\.0\.1:\d+ is already in use .*rigctld -t 4534/);
  });
});
