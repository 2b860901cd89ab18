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

/** A node:http server on a free loopback port answering every request with one XML-RPC value. */
async function bareXmlRpcServer(): Promise<{ port: number; close: () => void }> {
  const { createServer } = await import('node:http');
  const reply =
    '<?xml version="1.0"?>\r\n<methodResponse><params><param><value>14074000</value></param></params></methodResponse>\r\n';
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(reply) });
      response.end(reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** `count` sequential calls of `method` on one keep-alive connection: p50, p99 (ms) and calls/s. */
async function xmlRpcFigures(
  port: number,
  method: string,
  count: number,
): Promise<{ p50: number; p99: number; opsPerS: number }> {
  const { Agent, request } = await import('node:http');
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const body = `<?xml version="1.0"?>\r\n<methodCall><methodName>${method}</methodName>\r\n</methodCall>\r\n`;
  const once = () =>
    new Promise<string>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/RPC2',
          method: 'POST',
          agent,
          headers: { 'Content-Type': 'text/xml' },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  try {
    // Both servers warmed alike (the door's JIT needs a few hundred calls to settle).
    for (let i = 0; i < 500; i++) await once();
    const times: number[] = [];
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      const text = await once();
      times.push(performance.now() - t0);
      if (!/<value>\d+<\/value>/.test(text)) throw new Error(`${method} answered ${text}`);
    }
    const total = performance.now() - started;
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), opsPerS: (count * 1000) / total };
  } finally {
    agent.destroy();
  }
}

/**
 * The flrig door against real flrig 1.4.7 (headless, its radio on a catbridge IC-7300 port on the
 * simulator), both asked over one keep-alive connection: `rig.get_vfo` (flrig answers from its own
 * cache) and `rig.get_vfoA` (flrig reads the radio). Goal: 10× faster.
 */
export async function flrigDoorVsFlrig(work: string, row: Row, count = 2000): Promise<void> {
  const { Flrig } = await import('../test/support/flrig.js');
  const { freePort } = await import('../test/support/rigctld.js');
  const file = join(work, 'flrig-door.yaml');
  writeFileSync(
    file,
    [
      'backends:',
      '  sim:',
      '    type: sim',
      'ports:',
      '  radio:',
      '    rig: ic7300',
      '    backend: sim',
      '    echo: true', // flrig's IC-7300 driver expects the CI-V echo a real bus gives
      `    link: ${join(work, 'flrig-door-radio')}`,
      'servers:',
      '  fl:',
      '    type: flrig',
      '    listen: 127.0.0.1:0',
      '    backend: sim',
      '',
    ].join('\n'),
  );
  const gateway = await Gateway.start(loadConfig(file), pino({ level: 'error' }));
  let flrig: Awaited<ReturnType<typeof Flrig.start>> | undefined;
  try {
    const flrigPort = await freePort();
    flrig = await Flrig.start({
      xcvr: 'IC-7300',
      device: join(work, 'flrig-door-radio'),
      civAddress: 0x94,
      echo: true,
      port: flrigPort,
    });
    // What HTTP itself costs this client: a bare node:http server answering a constant XML-RPC value.
    // The door can be no faster than this; flrig answering from its cache is not far above it.
    const bare = await bareXmlRpcServer();
    try {
      const floor = await xmlRpcFigures(bare.port, 'rig.get_vfo', count);
      row('bare HTTP server, constant answer p50 (ms)', floor.p50.toFixed(3), '-', 'floor of any HTTP door');
      row('bare HTTP server, constant answer p99 (ms)', floor.p99.toFixed(3), '-', 'floor of any HTTP door');
    } finally {
      bare.close();
    }
    for (const [method, n] of [
      ['rig.get_vfo', count],
      ['rig.get_vfoA', Math.min(count, 300)],
    ] as const) {
      const door = await xmlRpcFigures(gateway.servers[0]!.port, method, n);
      const real = await xmlRpcFigures(flrigPort, method, n);
      const floor = 'floor: real flrig 1.4.7';
      row(`flrig door ${method} p50 (ms)`, door.p50.toFixed(3), real.p50.toFixed(3), floor);
      row(`flrig door ${method} p99 (ms)`, door.p99.toFixed(3), real.p99.toFixed(3), floor);
      row(
        `flrig door ${method} calls/s`,
        door.opsPerS.toFixed(0),
        real.opsPerS.toFixed(0),
        `${(door.opsPerS / real.opsPerS).toFixed(1)}× flrig`,
      );
    }
  } finally {
    await gateway.stop();
    await flrig?.stop();
  }
}
