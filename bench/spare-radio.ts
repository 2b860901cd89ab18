/**
 * `npm run bench` (part): what sharing costs the radio. A real radio line is built from catbridge
 * itself — a simulated radio served on an emulated port, whose link is given to a real
 * `rigctld -m <model> -r <link>` — so both the rigctld requests (counted by a relay in front of
 * rigctld) and the CAT bytes on the radio's serial line (counted at that port) are measured:
 *   (a) a WSJT-X-like client straight to rigctld (`f m v s t` once a second, as WSJT-X 2.6.1 polls
 *       "Hamlib NET rigctl"),
 *   (b) the same pattern through a catbridge port of the same model (real Hamlib `rigctl -m <model>`,
 *       its cache off, on the port),
 *   (c) that client plus 3 and 7 logger-like clients (`f m t` once a second) on more ports,
 *   (d) no client at all,
 * and for each, how long a change made at the radio takes to reach the WSJT-X-like client.
 * Figures, never pass/fail; goals printed beside them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { SimBackend } from '../src/gateway/backends/sim-backend.js';
import { loadConfig } from '../src/gateway/config.js';
import { Gateway } from '../src/gateway/gateway.js';
import { pollingRigctl, startRigctld } from './tools.js';

const WARMUP_MS = 4000;
const MEASURE_MS = 12_000;
/** A change at the radio every this often while measuring; the client's view of it is timed. */
const CHANGE_EVERY_MS = 2300;
const LOGGERS = [3, 7];

const MODELS = [
  { profile: 'ts2000', model: 2014, label: 'Kenwood TS-2000' },
  { profile: 'ic7300', model: 3073, label: 'Icom IC-7300' },
  { profile: 'ft991a', model: 1035, label: 'Yaesu FT-991A' },
] as const;

/** Each change at the radio goes to a frequency never used before, so every sighting is of one change. */
let nextHz = 7_000_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const work = mkdtempSync(join(tmpdir(), 'catbridge-spare-'));
process.env.CATBRIDGE_STATE_DIR = work;

function row(label: string, value: string, note = ''): void {
  process.stdout.write(`${label.padEnd(58)} ${value.padStart(12)}  ${note}\n`);
}

async function gatewayOf(name: string, backend: string, ports: { name: string; rig: string }[]) {
  const lines = ['backends:', '  radio:', ...backend.split('\n').map((l) => `    ${l}`), 'ports:'];
  for (const port of ports)
    lines.push(
      `  ${port.name}:`,
      `    rig: ${port.rig}`,
      '    backend: radio',
      `    link: ${join(work, port.name)}`,
    );
  const file = join(work, `${name}.yaml`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return Gateway.start(loadConfig(file), pino({ level: 'error' }));
}

/**
 * A relay in front of a server counting the requests that pass it: rigctld's command lines, or
 * flrig's HTTP POSTs (a system.multicall is one request) with the methods they call.
 */
async function countingRelay(
  target: number,
  protocol: 'rigctld' | 'xmlrpc' = 'rigctld',
): Promise<{ port: number; lines(): number; commands: Map<string, number>; close(): void }> {
  let count = 0;
  const commands = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    let partial = '';
    const tally = (command: string) => commands.set(command, (commands.get(command) ?? 0) + 1);
    client.on('data', (data: Buffer) => {
      upstream.write(data);
      const text = partial + data.toString('latin1');
      if (protocol === 'xmlrpc') {
        // Whole requests only: a POST's body may arrive in a later chunk.
        const end = text.lastIndexOf('</methodCall>');
        partial = end < 0 ? text : text.slice(end + 13);
        const done = end < 0 ? '' : text.slice(0, end + 13);
        count += (done.match(/<methodCall>/g) ?? []).length;
        for (const [, method] of done.matchAll(/<(?:methodName|string|value)>((?:rig|main|system)\.\w+)</g))
          tally(method!);
        return;
      }
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      count += lines.length;
      for (const line of lines) tally(line.replace(/^\+/, '').trim());
    });
    upstream.on('data', (data) => client.write(data));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    lines: () => count,
    commands,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

/** Records when a client first reported each frequency it saw. */
class Sightings {
  private readonly seen = new Map<number, number>();
  saw(hz: number): void {
    if (!this.seen.has(hz)) this.seen.set(hz, performance.now());
  }
  when(hz: number): number | undefined {
    return this.seen.get(hz);
  }
}

/** A NET rigctl client polling rigctld as WSJT-X does: `f m v s t` once a second. */
function netClient(port: number, sightings: Sightings): () => void {
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('latin1');
  let partial = '';
  socket.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (/^\d{6,}$/.test(line)) sightings.saw(Number(line));
  });
  socket.on('error', () => {});
  const timer = setInterval(() => socket.write('f\nm\nv\ns\nt\n'), 1000);
  return () => {
    clearInterval(timer);
    socket.destroy();
  };
}

/** Real Hamlib on a port sending `commands` once a second; the frequencies it reports are sighted. */
function hamlibClient(
  model: number,
  device: string,
  commands: string,
  sightings?: Sightings,
): () => Promise<void> {
  // In this mode rigctl echoes each command before its value: `f 14074000`.
  return pollingRigctl(model, device, commands, 1000, (line) => {
    const freq = /^f (\d+)\s*$/.exec(line);
    if (freq) sightings?.saw(Number(freq[1]));
  });
}

interface Figures {
  /** Chunks held for a fresh read of a part too old to answer from, per second (all ports). */
  holdsPerS: number;
  /** What was asked of rigctld, per second. */
  mix: string;
  /** Client bytes left unanswered because a fresh read did not come within the client's timeout. */
  unansweredBytes: number;
  requestsPerS: number;
  lineBytesPerS: number;
  lagP50: number | null;
  lagMax: number | null;
  missed: number;
}

async function measure(
  relay: { lines(): number; commands: Map<string, number> },
  lineBytes: () => number,
  sim: SimBackend,
  sightings: Sightings | null,
  gateway: Gateway | null = null,
): Promise<Figures> {
  const holds = () => gateway?.ports.reduce((sum, port) => sum + port.stats.staleHolds, 0) ?? 0;
  const unanswered = () =>
    gateway?.ports.reduce((sum, p) => sum + p.stats.unansweredStale + p.stats.unansweredAtOpen, 0) ?? 0;
  const unansweredBefore = unanswered();
  await sleep(WARMUP_MS);
  const holdsBefore = holds();
  const requests = relay.lines();
  relay.commands.clear();
  const bytes = lineBytes();
  const started = performance.now();
  const changes: { hz: number; at: number }[] = [];
  while (performance.now() - started < MEASURE_MS) {
    // None in the last 2 s: each change is given time to be seen inside the window.
    if (sightings && performance.now() - started < MEASURE_MS - 2000) {
      nextHz += 1000;
      sim.simulateRadioChange({ freqA: nextHz });
      changes.push({ hz: nextHz, at: performance.now() });
    }
    await sleep(Math.min(CHANGE_EVERY_MS, MEASURE_MS - (performance.now() - started)));
  }
  const seconds = (performance.now() - started) / 1000;
  const requestsPerS = (relay.lines() - requests) / seconds;
  const mix = [...relay.commands]
    .sort((x, y) => y[1] - x[1])
    .map(([command, n]) => `${command} ${(n / seconds).toFixed(1)}`)
    .join(', ');
  const holdsPerS = (holds() - holdsBefore) / seconds;
  const unansweredBytes = unanswered() - unansweredBefore;
  const lineBytesPerS = (lineBytes() - bytes) / seconds;
  await sleep(2500); // the last change's sighting
  const lags: number[] = [];
  let missed = 0;
  for (const change of changes) {
    const seen = sightings?.when(change.hz);
    if (seen === undefined) {
      missed++;
      process.stderr.write(`missed change ${change.hz} at +${(change.at - started).toFixed(0)} ms\n`);
    } else lags.push(seen - change.at);
  }
  lags.sort((x, y) => x - y);
  return {
    holdsPerS,
    mix,
    unansweredBytes,
    requestsPerS,
    lineBytesPerS,
    lagP50: lags.length ? lags[Math.floor(lags.length / 2)]! : null,
    lagMax: lags.length ? lags.at(-1)! : null,
    missed,
  };
}

function report(label: string, f: Figures, base: Figures | null, goal: string, line = true): void {
  const ratio = (value: number, of: number) => (of > 0 ? ` (ratio ${(value / of).toFixed(2)}, ${goal})` : '');
  row(
    `${label}: ${line ? 'rigctld' : 'flrig'} requests/s`,
    f.requestsPerS.toFixed(2),
    base ? ratio(f.requestsPerS, base.requestsPerS) : '',
  );
  if (line)
    row(
      `${label}: radio line bytes/s`,
      f.lineBytesPerS.toFixed(0),
      base ? ratio(f.lineBytesPerS, base.lineBytesPerS) : '',
    );
  if (f.mix) row(`${label}: requests`, '', f.mix);
  if (f.unansweredBytes > 0) row(`${label}: client bytes left unanswered`, String(f.unansweredBytes), '');
  if (f.holdsPerS > 0) row(`${label}: reads held for a fresh read, per s`, f.holdsPerS.toFixed(2), '');
  if (f.lagP50 !== null || f.missed > 0)
    row(
      `${label}: change at radio → client p50 / max (ms)`,
      `${f.lagP50?.toFixed(0) ?? '-'} / ${f.lagMax?.toFixed(0) ?? '-'}`,
      f.missed > 0 ? `${f.missed} change(s) never seen` : '',
    );
}

async function benchModel(spec: (typeof MODELS)[number]): Promise<void> {
  // The radio: the simulator behind an emulated port of this model, its CAT bytes counted.
  const radio = await gatewayOf(`${spec.profile}-radio`, 'type: sim', [
    { name: `${spec.profile}-line`, rig: spec.profile },
  ]);
  const line = radio.ports[0]!;
  let lineBytes = 0;
  line.port.on('data', (bytes: Uint8Array) => {
    lineBytes += bytes.length;
  });
  const write = line.port.write.bind(line.port);
  line.port.write = (bytes: Uint8Array) => {
    lineBytes += bytes.length;
    return write(bytes);
  };
  const sim = radio.rigs.get('radio')!.backend as unknown as SimBackend;
  const rigctld = await startRigctld(undefined, {
    model: spec.model,
    device: join(work, `${spec.profile}-line`),
  });
  const relay = await countingRelay(rigctld.port);
  try {
    process.stdout.write(`\n${spec.label} (rigctld -m ${spec.model} on an emulated ${spec.profile} line)\n`);
    // (a) straight to rigctld.
    const direct = new Sightings();
    const stopDirect = netClient(relay.port, direct);
    const a = await measure(relay, () => lineBytes, sim, direct);
    stopDirect();
    report('(a) WSJT-X-like, straight to rigctld', a, null, '');

    // (b), (c), (d) through catbridge.
    const ports = Array.from({ length: 1 + Math.max(...LOGGERS) }, (_, i) => ({
      name: `${spec.profile}-p${i}`,
      rig: spec.profile,
    }));
    const gateway = await gatewayOf(
      `${spec.profile}-gw`,
      `type: rigctld\naddress: 127.0.0.1:${relay.port}`,
      ports,
    );
    try {
      const through = new Sightings();
      const stopMain = hamlibClient(spec.model, join(work, ports[0]!.name), 'f\nm\nv\ns\nt\n', through);
      const b = await measure(relay, () => lineBytes, sim, through, gateway);
      report('(b) the same through a catbridge port', b, a, 'goal ≤ 1.0');
      let loggers: (() => Promise<void>)[] = [];
      for (const count of LOGGERS) {
        while (loggers.length < count)
          loggers.push(hamlibClient(spec.model, join(work, ports[1 + loggers.length]!.name), 'f\nm\nt\n'));
        const c = await measure(relay, () => lineBytes, sim, through, gateway);
        report(`(c) + ${count} loggers on more ports`, c, a, 'goal ≤ 1.0');
      }
      await Promise.all([stopMain(), ...loggers.map((stop) => stop())]);
      loggers = [];
      const d = await measure(relay, () => lineBytes, sim, null, gateway);
      report('(d) no client attached', d, null, '');
      row('(d) goal', '≤ 0.5 req/s', '');
    } finally {
      await gateway.stop();
    }
  } finally {
    relay.close();
    await rigctld.stop();
    await radio.stop();
  }
}

/** A client polling flrig as Hamlib's flrig backend does for WSJT-X's "FLRig" rig (`rigctl -m 4`). */
async function benchFlrig(): Promise<void> {
  const { Flrig } = await import('../test/support/flrig.js');
  const { freePort } = await import('../test/support/rigctld.js');
  // flrig drives an IC-7300 served by the simulator; CI-V echo off on both sides (flrig's comm_echo
  // and the port's echo), which is how this run measured it.
  const radio = await gatewayOf('flrig-radio', 'type: sim', [{ name: 'flrig-line', rig: 'ic7300' }]);
  const xmlPort = await freePort();
  let flrig: Awaited<ReturnType<typeof Flrig.start>> | undefined;
  try {
    flrig = await Flrig.start({
      xcvr: 'IC-7300',
      device: join(work, 'flrig-line'),
      civAddress: 0x94,
      port: xmlPort,
    });
    const relay = await countingRelay(xmlPort, 'xmlrpc');
    const sim = radio.rigs.get('radio')!.backend as unknown as SimBackend;
    process.stdout.write(
      '\nflrig 1.4.7 (an IC-7300 on an emulated line); flrig polls its radio itself, so requests only\n',
    );
    try {
      const direct = new Sightings();
      const stopDirect = hamlibClient(4, `127.0.0.1:${relay.port}`, 'f\nm\nv\ns\nt\n', direct);
      const a = await measure(relay, () => 0, sim, direct);
      await stopDirect();
      report('(a) WSJT-X-like, straight to flrig (rigctl -m 4)', a, null, '', false);
      const ports = Array.from({ length: 8 }, (_, i) => ({ name: `flrig-p${i}`, rig: 'ts2000' }));
      const gateway = await gatewayOf('flrig-gw', `type: flrig\naddress: 127.0.0.1:${relay.port}`, ports);
      try {
        const through = new Sightings();
        const stops = [hamlibClient(2014, join(work, ports[0]!.name), 'f\nm\nv\ns\nt\n', through)];
        const b = await measure(relay, () => 0, sim, through, gateway);
        report('(b) the same through a catbridge port', b, a, 'goal ≤ 1.0', false);
        for (let i = 1; i < 8; i++) stops.push(hamlibClient(2014, join(work, ports[i]!.name), 'f\nm\nt\n'));
        const c = await measure(relay, () => 0, sim, through, gateway);
        report('(c) + 7 loggers on more ports', c, a, 'goal ≤ 1.0', false);
        await Promise.all(stops.map((stop) => stop()));
        const d = await measure(relay, () => 0, sim, null, gateway);
        report('(d) no client attached', d, null, 'goal ≤ 0.5 req/s', false);
      } finally {
        await gateway.stop();
      }
    } finally {
      relay.close();
    }
  } finally {
    await flrig?.stop();
    await radio.stop();
  }
}

async function main(): Promise<void> {
  process.stdout.write(`\ncatbridge spare-the-radio bench — ${new Date().toISOString()}\n`);
  // SPARE_MODELS=ft991a,ic7300 runs a subset (while working on one).
  const only = process.env.SPARE_MODELS?.split(',');
  for (const spec of MODELS) if (!only || only.includes(spec.profile)) await benchModel(spec);
  if (!only || only.includes('flrig')) await benchFlrig();
  rmSync(work, { recursive: true, force: true });
}

main().catch((err) => {
  process.stderr.write(`spare-radio bench failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
