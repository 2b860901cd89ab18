/**
 * Bench figures for sharing one radio and for backends coming and going: backend requests per
 * second against the number of clients, recovery after a rigctld restart, and flrig's cached read
 * against a forced refresh. Called by bench/run.ts.
 */
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import type { RigctldBackend } from '../src/gateway/backends/rigctld-backend.js';
import { loadConfig } from '../src/gateway/config.js';
import { Gateway } from '../src/gateway/gateway.js';
import { pollingRigctl, rawRoundTrip, startRigctld } from './tools.js';

type Row = (label: string, gateway: string, floor: string, note?: string) => void;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Port name, profile, backend, and optionally more YAML keys for the port (`echo: true`). */
type PortSpec = [string, string, string, string?];

async function gatewayOn(work: string, name: string, backends: string, ports: PortSpec[]) {
  const lines = ['backends:', backends, 'ports:'];
  for (const [port, rig, backend, extra] of ports) {
    lines.push(
      `  ${port}:`,
      `    rig: ${rig}`,
      `    backend: ${backend}`,
      `    link: ${join(work, `${name}-${port}`)}`,
    );
    if (extra) lines.push(`    ${extra}`);
  }
  const file = join(work, `${name}.yaml`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return Gateway.start(loadConfig(file), pino({ level: 'error' }));
}

/** A real Hamlib client reading the frequency every `periodMs`, Hamlib's cache off. */
function pollingClient(model: number, device: string, periodMs: number): () => Promise<void> {
  return pollingRigctl(model, device, 'f\n', periodMs);
}

/** Backend requests per second with 1, 2, 4 and 8 Hamlib clients each polling at 10 Hz. */
export async function backendRateByClients(work: string, row: Row): Promise<void> {
  const rigctld = await startRigctld();
  const ports: PortSpec[] = Array.from({ length: 8 }, (_, i) => [`c${i}`, 'ts2000', 'radio']);
  const gateway = await gatewayOn(
    work,
    'rate',
    `  radio:\n    type: rigctld\n    address: 127.0.0.1:${rigctld.port}`,
    ports,
  );
  const backend = gateway.rigs.get('radio')!.backend as unknown as RigctldBackend;
  try {
    for (const clients of [1, 2, 4, 8]) {
      const stops = ports
        .slice(0, clients)
        .map(([name]) => pollingClient(2014, join(work, `rate-${name}`), 100));
      await sleep(1000);
      const before = backend.stats().requests;
      const started = performance.now();
      await sleep(3000);
      const perSecond = ((backend.stats().requests - before) * 1000) / (performance.now() - started);
      await Promise.all(stops.map((stop) => stop()));
      row(
        `backend requests/s, ${clients} client(s) @10 Hz`,
        perSecond.toFixed(1),
        '-',
        `${clients * 10} client reads/s`,
      );
    }
  } finally {
    await gateway.stop();
    await rigctld.stop();
  }
}

/** From rigctld accepting connections again to the gateway's first fresh read, with a client attached. */
export async function recoveryAfterRestart(work: string, row: Row): Promise<void> {
  let rigctld = await startRigctld();
  const port = rigctld.port;
  const gateway = await gatewayOn(
    work,
    'restart',
    `  radio:\n    type: rigctld\n    address: 127.0.0.1:${port}`,
    [['p', 'ts2000', 'radio']],
  );
  const shared = gateway.rigs.get('radio')!;
  const client = openSync(join(work, 'restart-p'), 'r+'); // an attached client: fast polling, fast reconnects
  const times: number[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      await rigctld.stop();
      while (shared.backend.connected) await sleep(5);
      await sleep(300);
      rigctld = await startRigctld(port);
      const up = Date.now();
      while (shared.status().lastReadAt < up) await sleep(2);
      times.push(Date.now() - up);
    }
    row(
      'recovery after rigctld restart (ms)',
      median(times).toFixed(0),
      '-',
      `median of 5, max ${Math.max(...times)} (goal < 2000)`,
    );
  } finally {
    closeSync(client);
    await gateway.stop();
    await rigctld.stop();
  }
}

/**
 * flrig (real, headless) with its radio on a catbridge IC-7300 port on the simulator; a TS-2000 port
 * on the flrig backend: a read answered from the cache against a forced refresh through flrig.
 */
export async function flrigCachedVsRefresh(work: string, rtt: string, row: Row): Promise<void> {
  const { Flrig } = await import('../test/support/flrig.js');
  const { freePort } = await import('../test/support/rigctld.js');
  const xmlPort = await freePort();
  const gateway = await gatewayOn(
    work,
    'flrig',
    `  sim:\n    type: sim\n  flrig:\n    type: flrig\n    address: 127.0.0.1:${xmlPort}`,
    [
      // flrig's IC-7300 driver expects the CI-V echo a real bus gives.
      ['radio', 'ic7300', 'sim', 'echo: true'],
      ['p', 'ts2000', 'flrig'],
    ],
  );
  let flrig: Awaited<ReturnType<typeof Flrig.start>> | undefined;
  try {
    flrig = await Flrig.start({
      xcvr: 'IC-7300',
      device: join(work, 'flrig-radio'),
      civAddress: 0x94,
      echo: true,
      port: xmlPort,
    });
    const shared = gateway.rigs.get('flrig')!;
    while (!shared.backend.connected) await sleep(20);
    const cached = await rawRoundTrip(rtt, join(work, 'flrig-p'), 'FA;', 1000);
    const refresh: number[] = [];
    for (let i = 0; i < 30; i++) {
      const started = performance.now();
      await shared.refresh();
      refresh.push(performance.now() - started);
    }
    row(
      'flrig: cached FA; round trip (µs)',
      cached.p50_us.toFixed(1),
      '-',
      `p99 ${cached.p99_us.toFixed(1)} µs`,
    );
    row(
      'flrig: forced refresh (ms)',
      median(refresh).toFixed(1),
      '-',
      '1 multicall of 11 calls, 2 live CAT reads',
    );
  } finally {
    await gateway.stop();
    await flrig?.stop();
  }
}
