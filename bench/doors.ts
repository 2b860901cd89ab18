/**
 * Bench figures for the network doors (issue 14): the rigctld door's `get_freq` round trip and
 * throughput against real `rigctld -m 1` asked directly (goal: at least as fast, answered from the
 * cache), and backend requests per second as 1, 4 and 8 network clients poll through the door
 * (goal: flat). Called by bench/run.ts; figures, never pass/fail.
 */
import { writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import type { RigctldBackend } from '../src/gateway/backends/rigctld-backend.js';
import { loadConfig } from '../src/gateway/config.js';
import { Gateway } from '../src/gateway/gateway.js';
import { startRigctld } from './tools.js';

type Row = (label: string, gateway: string, floor: string, note?: string) => void;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A NET-protocol client that sends one line and waits for one answer line. */
class LineClient {
  private buffer = '';
  private wake: (() => void) | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.wake?.();
    });
  }

  static open(port: number): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(new LineClient(socket)));
      socket.once('error', reject);
    });
  }

  async ask(line: string): Promise<string> {
    this.socket.write(`${line}\n`);
    while (!this.buffer.includes('\n')) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = null;
    }
    const end = this.buffer.indexOf('\n');
    const answer = this.buffer.slice(0, end);
    this.buffer = this.buffer.slice(end + 1);
    return answer;
  }

  close(): void {
    this.socket.destroy();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** `count` sequential `f` round trips: p50 and p99 (ms) and answers per second. */
async function getFreqFigures(
  port: number,
  count: number,
): Promise<{ p50: number; p99: number; opsPerS: number }> {
  const client = await LineClient.open(port);
  try {
    for (let i = 0; i < 50; i++) await client.ask('f'); // warm-up (and the door's open read)
    const times: number[] = [];
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      const answer = await client.ask('f');
      times.push(performance.now() - t0);
      if (!/^\d+$/.test(answer)) throw new Error(`f answered ${answer}`);
    }
    const total = performance.now() - started;
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), opsPerS: (count * 1000) / total };
  } finally {
    client.close();
  }
}

async function gatewayWithDoor(work: string, rigctldPort: number): Promise<Gateway> {
  const file = join(work, 'doors.yaml');
  writeFileSync(
    file,
    [
      'backends:',
      '  radio:',
      '    type: rigctld',
      `    address: 127.0.0.1:${rigctldPort}`,
      'ports:',
      '  p0:',
      '    rig: ts2000',
      '    backend: radio',
      `    link: ${join(work, 'doors-p0')}`,
      'servers:',
      '  hamlib:',
      '    type: rigctld',
      '    listen: 127.0.0.1:0',
      '    backend: radio',
      '',
    ].join('\n'),
  );
  return Gateway.start(loadConfig(file), pino({ level: 'error' }));
}

export async function rigctldDoorFigures(work: string, row: Row, count = 3000): Promise<void> {
  const rigctld = await startRigctld();
  const gateway = await gatewayWithDoor(work, rigctld.port);
  const doorPort = gateway.servers[0]!.port;
  try {
    const door = await getFreqFigures(doorPort, count);
    const direct = await getFreqFigures(rigctld.port, count);
    row(
      'rigctld door get_freq p50 (ms)',
      door.p50.toFixed(3),
      direct.p50.toFixed(3),
      'floor: rigctld -m 1 asked directly',
    );
    row(
      'rigctld door get_freq p99 (ms)',
      door.p99.toFixed(3),
      direct.p99.toFixed(3),
      'floor: rigctld -m 1 asked directly',
    );
    row(
      'rigctld door get_freq ops/s',
      door.opsPerS.toFixed(0),
      direct.opsPerS.toFixed(0),
      'one client, sequential',
    );

    const backend = gateway.rigs.get('radio')!.backend as unknown as RigctldBackend;
    for (const clients of [1, 4, 8]) {
      const links = await Promise.all(Array.from({ length: clients }, () => LineClient.open(doorPort)));
      let running = true;
      // Each client reads the frequency at 10 Hz, as WSJT-X polls.
      const loops = links.map(async (link) => {
        while (running) {
          await link.ask('f');
          await sleep(100);
        }
      });
      await sleep(1000);
      const before = backend.stats().requests;
      const started = performance.now();
      await sleep(3000);
      const perSecond = ((backend.stats().requests - before) * 1000) / (performance.now() - started);
      running = false;
      await Promise.all(loops);
      for (const link of links) link.close();
      row(
        `backend requests/s, ${clients} rigctld-door client(s) @10 Hz`,
        perSecond.toFixed(1),
        '-',
        `${clients * 10} client reads/s`,
      );
      await sleep(300);
    }
  } finally {
    await gateway.stop();
    await rigctld.stop();
  }
}
