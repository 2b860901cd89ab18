/**
 * How fast PTT comes off a radio keyed under the load of issue 12 (one write of 500 `FA…;TX;` pairs to
 * a TS-2000 port), by each way of releasing it, and how far the write queue runs ahead of the radio
 * under random input on an FT-817 port. A real `rigctld -m 1 -P RIG` and the real CLI as a child
 * process (signals need one), everything on 127.0.0.1. The radio is watched on a connection of its own
 * to rigctld, `t` every 5 ms. Figures, never pass/fail; the floor (unkeying the idle radio with `T 0`
 * straight to rigctld) is measured in the same run.
 *
 *   npm run build && node dist/bench/ptt-release.js
 */
import { closeSync, mkdtempSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/gateway/config.js';
import { Gateway } from '../src/gateway/gateway.js';
import { Rigctld, RigLink } from '../test/support/rigctld.js';
import { random } from '../test/support/seeded-random.js';
import { type Cli, getJson, startCli, stopCli } from './cli-gateway.js';
import { drain, handshake, openPort, writeAll } from './port-client.js';

const REPS = 5;
const FLOOR_REPS = 20;
/** The radio is read this often while a release is awaited. */
const POLL_MS = 5;
const KEYED_FOR_MS = 1000;
const WATCHDOG_S = 1;
const FUZZ_MS = 5000;
const FUZZ_CHUNK = 64;
const FUZZ_EVERY_MS = 5;
const SAMPLE_MS = 50;
/** Sampling goes on this long after the fuzz, for the queue to drain and the radio to catch up. */
const FUZZ_TAIL_MS = 2000;
const SEED = 0x12c0ffee;
const BASE_HZ = 14_074_000;

/** The load from issue 12: 500 frequency writes, each followed by TX, in one write to the port. */
const FLOOD = Buffer.from(
  Array.from({ length: 500 }, (_, i) => `FA${String(BASE_HZ + 1 + i).padStart(11, '0')};TX;`).join(''),
  'latin1',
);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.now();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Reads `t` every POLL_MS until it says `want`; the time the answer that said so arrived. */
async function waitPtt(link: RigLink, want: boolean, timeoutMs: number): Promise<number> {
  const deadline = now() + timeoutMs;
  for (let i = 0; i < 100_000; i++) {
    const sent = now();
    const on = await link.ptt();
    const at = now();
    if (on === want) return at;
    if (at > deadline) break;
    await sleep(Math.max(0, sent + POLL_MS - now()));
  }
  throw new Error(`rigctld did not read PTT ${want ? 1 : 0} within ${timeoutMs} ms`);
}

async function openKenwood(link: string): Promise<number> {
  const fd = openPort(link);
  await handshake(fd, Buffer.from('ID;'), (reply) => reply.toString('latin1').includes('ID019;'));
  drain(fd);
  return fd;
}

/** The port opened, the radio read through it once, then the flood: resolves once rigctld reads PTT 1. */
async function keyUnderLoad(link: string, monitor: RigLink): Promise<{ fd: number; keyedAt: number }> {
  const fd = await openKenwood(link);
  try {
    await writeAll(fd, FLOOD);
    return { fd, keyedAt: await waitPtt(monitor, true, 5000) };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/**
 * Back to a radio in RX on 14.074 MHz USB. With no client attached the gateway reads the radio only
 * every 3 s; the next port open reads it afresh before answering (the handshake waits for that).
 */
async function resetRadio(control: RigLink, url?: string): Promise<void> {
  await sleep(300); // what is left of the load drains
  await control.cmd('T 0');
  await control.cmd('V VFOA');
  await control.cmd(`F ${BASE_HZ}`);
  await control.cmd('M USB 2400');
  if (!url) return;
  const deadline = now() + 3000;
  while (now() < deadline) {
    const backends = await getJson<{ pttOwner: string | null }[]>(`${url}/api/backends`);
    if (backends[0]?.pttOwner === null) return;
    await sleep(50);
  }
  throw new Error('the gateway still has a PTT owner 3 s after the release');
}

// ---- the measurements ----

interface Figure {
  path: string;
  ms: number[];
  note: string;
}

/** A pino line's time (epoch ms) as a performance.now() time of this process. */
function logTimes(stderr: string, message: string, includes: string): number[] {
  const times: number[] = [];
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { msg?: string; reason?: string; time?: number };
      if (entry.msg === message && (entry.reason ?? '').includes(includes) && entry.time) {
        times.push(entry.time - performance.timeOrigin);
      }
    } catch {
      // not a log line
    }
  }
  return times;
}

async function floor(control: RigLink, monitor: RigLink): Promise<Figure> {
  const ms: number[] = [];
  const rprt: number[] = [];
  for (let i = 0; i < FLOOR_REPS; i++) {
    await control.cmd('T 1');
    await waitPtt(monitor, true, 2000);
    await sleep(20);
    const started = now();
    const answered = control.cmd('T 0').then(() => now() - started);
    ms.push((await waitPtt(monitor, false, 2000)) - started);
    rprt.push(await answered);
  }
  const reads: number[] = [];
  for (let i = 0; i < FLOOR_REPS; i++) {
    const started = now();
    await monitor.ptt();
    reads.push(now() - started);
  }
  return {
    path: 'floor: T 0 straight to rigctld',
    ms,
    note: `idle radio keyed by T 1, no gateway; T 0 answered in p50 ${median(rprt).toFixed(1)} ms, t in ${median(reads).toFixed(2)} ms`,
  };
}

async function clientCloses(gateway: Cli, links: Links, control: RigLink, monitor: RigLink): Promise<Figure> {
  const ms: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const { fd } = await keyUnderLoad(links.kw, monitor);
    await sleep(KEYED_FOR_MS);
    const started = now();
    closeSync(fd);
    ms.push((await waitPtt(monitor, false, 5000)) - started);
    await resetRadio(control, gateway.url);
  }
  return { path: 'client closes its port', ms, note: 'close(fd) on the pty' };
}

async function restRelease(gateway: Cli, links: Links, control: RigLink, monitor: RigLink): Promise<Figure> {
  const ms: number[] = [];
  const answered: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const { fd } = await keyUnderLoad(links.kw, monitor);
    try {
      await sleep(KEYED_FOR_MS);
      const started = now();
      const reply = fetch(`${gateway.url}/api/ports/kw/ptt`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ptt: false }),
      }).then(async (response) => {
        const body = (await response.json()) as { confirmed?: boolean };
        if (!body.confirmed) throw new Error(`REST release not confirmed: ${JSON.stringify(body)}`);
        return now() - started;
      });
      ms.push((await waitPtt(monitor, false, 5000)) - started);
      answered.push(await reply);
    } finally {
      closeSync(fd);
    }
    await resetRadio(control, gateway.url);
  }
  return {
    path: 'REST POST /api/ports/kw/ptt',
    ms,
    note: `{"ptt":false}; HTTP 200 confirmed after p50 ${median(answered).toFixed(1)} ms, max ${Math.max(...answered).toFixed(1)}`,
  };
}

async function watchdog(gateway: Cli, links: Links, control: RigLink, monitor: RigLink): Promise<Figure> {
  const ms: number[] = [];
  const fired: number[] = [];
  const afterFire: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const logBefore = gateway.stderr().length;
    const { fd, keyedAt } = await keyUnderLoad(links.wd, monitor);
    try {
      const deadline = keyedAt + WATCHDOG_S * 1000;
      const unkeyedAt = await waitPtt(monitor, false, WATCHDOG_S * 1000 + 5000);
      ms.push(unkeyedAt - deadline);
      await sleep(100); // the log line
      const [firedAt] = logTimes(gateway.stderr().slice(logBefore), 'releasing PTT', 'longer than');
      if (firedAt !== undefined) {
        fired.push(firedAt - deadline);
        afterFire.push(unkeyedAt - firedAt);
      }
    } finally {
      closeSync(fd);
    }
    await resetRadio(control, gateway.url);
  }
  // The gateway starts the watchdog when the port takes the TX; (before the radio has confirmed it),
  // so it fires before a deadline counted from rigctld's first PTT 1.
  const firedNote =
    fired.length > 0
      ? `; gateway fired (its log) at deadline ${median(fired).toFixed(1)} ms p50, unkeyed ${median(afterFire).toFixed(1)} ms p50 / ${Math.max(...afterFire).toFixed(1)} max after firing`
      : '';
  return {
    path: `watchdog (max_seconds: ${WATCHDOG_S})`,
    ms,
    note: `from rigctld's first PTT 1 + ${WATCHDOG_S} s${firedNote}`,
  };
}

async function signals(
  config: string,
  stateDir: string,
  links: Links,
  control: RigLink,
  monitor: RigLink,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    const ms: number[] = [];
    const exits: number[] = [];
    for (let i = 0; i < REPS; i++) {
      const gateway = await startCli(config, stateDir);
      try {
        const { fd } = await keyUnderLoad(links.kw, monitor);
        try {
          await sleep(KEYED_FOR_MS);
          const started = now();
          gateway.child.kill(signal);
          const exited = gateway.exited.then(() => now() - started);
          ms.push((await waitPtt(monitor, false, 5000)) - started);
          exits.push(await exited);
        } finally {
          closeSync(fd);
        }
      } finally {
        await stopCli(gateway);
      }
      await resetRadio(control);
    }
    figures.push({
      path: signal,
      ms,
      note: `to the CLI child; it exited after p50 ${median(exits).toFixed(0)} ms, max ${Math.max(...exits).toFixed(0)}`,
    });
  }
  return figures;
}

interface FieldLag {
  field: string;
  /** Values put in the cache (issued to the queue). */
  issued: number;
  /** Of those, how many never reached the radio, nor did a later value of the field (failed, dropped). */
  unconfirmed: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

interface Lag {
  label: string;
  bytes: number;
  /** Backend writes issued (SharedRig.status().writes). */
  writes: number;
  fields: FieldLag[];
  /** The sampled view: every 50 ms the cached freqA (radioState) against rigctld's VFO A. */
  samples: number;
  freqAChanges: number;
  /** The longest time a sampled cached freqA stayed ahead of rigctld's (the same or a later value). */
  sampledFreqALagMs: number;
}

/** Random bytes: the load as specified (few of them make a valid frequency set). */
function randomBytes(next: () => number): (chunk: Buffer) => void {
  return (chunk) => {
    for (let j = 0; j < chunk.length; j++) chunk[j] = Math.floor(next() * 256);
  };
}

/**
 * Random well-formed FT-817 frames, cut into the same chunks: mostly in-band frequency sets (so freqA
 * moves), mode sets, PTT, split and VFO toggles, and the reads Hamlib sends.
 */
function randomFrames(next: () => number): (chunk: Buffer) => void {
  const bcd = (n: number) => ((Math.floor(n / 10) % 10) << 4) | (n % 10);
  const modes = [0x00, 0x01, 0x02, 0x03, 0x04, 0x08, 0x0a, 0x0c];
  let pending: number[] = [];
  const frame = (): number[] => {
    const pick = next();
    if (pick < 0.4) {
      const tens = Math.floor((14_000_000 + next() * 350_000) / 10); // 10 Hz units, 8 digits
      return [
        bcd(Math.floor(tens / 1e6)),
        bcd(Math.floor(tens / 1e4)),
        bcd(Math.floor(tens / 100)),
        bcd(tens),
        0x01,
      ];
    }
    if (pick < 0.5) return [modes[Math.floor(next() * modes.length)]!, 0, 0, 0, 0x07];
    if (pick < 0.55) return [0, 0, 0, 0, next() < 0.5 ? 0x08 : 0x88];
    if (pick < 0.6) return [0, 0, 0, 0, next() < 0.5 ? 0x02 : 0x82];
    if (pick < 0.65) return [0, 0, 0, 0, 0x81];
    return [0, 0, 0, 0, [0x03, 0xe7, 0xf7][Math.floor(next() * 3)]!];
  };
  return (chunk) => {
    while (pending.length < chunk.length) pending = pending.concat(frame());
    chunk.set(pending.slice(0, chunk.length));
    pending = pending.slice(chunk.length);
  };
}

/**
 * The sampled view of one field: a cached value's lag is the time from its first showing until rigctld
 * shows it or a value the cache showed after it. A radio sample matches the latest cached value equal to
 * it that had shown by then, within one sample period (the cache changes first; samples are 50 ms apart).
 */
function sampledLag(cache: { at: number; hz: number }[], radio: { at: number; hz: number }[]): number {
  const shown: { at: number; hz: number }[] = [];
  for (const s of cache) if (shown.at(-1)?.hz !== s.hz) shown.push(s);
  let worst = 0;
  let caught = -1;
  for (const r of radio) {
    let match = -1;
    for (let k = shown.length - 1; k >= 0; k--) {
      if (shown[k]!.hz === r.hz && shown[k]!.at <= r.at + SAMPLE_MS) {
        match = k;
        break;
      }
    }
    for (let k = caught + 1; k <= match; k++) worst = Math.max(worst, r.at - shown[k]!.at);
    caught = Math.max(caught, match);
  }
  // A value the radio never caught up with counts until the end of the sampling.
  const end = radio.at(-1)?.at ?? 0;
  for (let k = caught + 1; k < shown.length; k++) worst = Math.max(worst, end - shown[k]!.at);
  return worst;
}

/**
 * A fuzz load on an FT-817 port of a gateway in this process (its queue is watched from the inside):
 * FUZZ_CHUNK bytes every FUZZ_EVERY_MS for FUZZ_MS, then FUZZ_TAIL_MS of quiet. Every value put in the
 * shared cache (SharedRig.issue) is timed until the backend confirmed it or a later value of its field
 * (the queue coalesces per field: an overtaken write resolves with the one that replaced it). Beside
 * that, every SAMPLE_MS the cached freqA and rigctld's are sampled, as an outside view.
 */
async function fuzzLag(
  work: string,
  rigctldPort: number,
  label: string,
  fill: (chunk: Buffer) => void,
): Promise<Lag> {
  const link = join(work, `fuzz-${label.replace(/\W+/g, '-')}`);
  const file = join(work, 'fuzz.yaml');
  writeFileSync(
    file,
    [
      'backends:',
      '  radio:',
      '    type: rigctld',
      `    address: 127.0.0.1:${rigctldPort}`,
      'ports:',
      '  yaesu:',
      '    rig: ft817',
      '    backend: radio',
      `    link: ${link}`,
      '',
    ].join('\n'),
  );
  const gateway = await Gateway.start(loadConfig(file), pino({ level: 'silent' }));
  const sampler = await RigLink.open(rigctldPort);
  let fd: number | undefined;
  try {
    const rig = gateway.rigs.get('radio')!;
    const lags = new Map<string, { ms: number[]; unconfirmed: number }>();
    const issue = rig.issue.bind(rig);
    rig.issue = (port, value, precondition) => {
      const started = now();
      const done = issue(port, value, precondition);
      void done.then((ok) => {
        const entry = lags.get(value.field) ?? { ms: [], unconfirmed: 0 };
        lags.set(value.field, entry);
        if (ok) entry.ms.push(now() - started);
        else entry.unconfirmed++;
      });
      return done;
    };
    fd = openPort(link);
    await handshake(fd, Buffer.from([0, 0, 0, 0, 0x03]), (reply) => reply.length >= 5);
    drain(fd);
    const writesBefore = rig.status().writes;
    const cache: { at: number; hz: number }[] = [];
    const radio: { at: number; hz: number }[] = [];
    let sampling = true;
    const sampled = (async () => {
      for (let i = 0; sampling && i < 1000; i++) {
        const slot = now();
        cache.push({ at: now(), hz: rig.radioState().freqA });
        const info = await sampler.cmd('\\get_vfo_info VFOA');
        const hz = Number(info.find((l) => l.startsWith('Freq: '))?.slice(6));
        radio.push({ at: now(), hz });
        await sleep(Math.max(0, slot + SAMPLE_MS - now()));
      }
    })();
    const chunk = Buffer.alloc(FUZZ_CHUNK);
    let bytes = 0;
    const started = now();
    for (let i = 0; i < FUZZ_MS / FUZZ_EVERY_MS && now() - started < FUZZ_MS; i++) {
      const slot = now();
      fill(chunk);
      try {
        bytes += writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      }
      drain(fd);
      await sleep(Math.max(0, slot + FUZZ_EVERY_MS - now()));
    }
    const tailEnd = now() + FUZZ_TAIL_MS;
    while (now() < tailEnd) {
      drain(fd);
      await sleep(20);
    }
    sampling = false;
    await sampled;
    const fields = [...lags].map(([field, { ms, unconfirmed }]) => {
      const sorted = [...ms].sort((a, b) => a - b);
      return {
        field,
        issued: ms.length + unconfirmed,
        unconfirmed,
        p50Ms: sorted.length > 0 ? median(sorted) : 0,
        p99Ms: sorted.length > 0 ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]! : 0,
        maxMs: sorted.at(-1) ?? 0,
      };
    });
    let freqAChanges = 0;
    for (let i = 1; i < cache.length; i++) if (cache[i]!.hz !== cache[i - 1]!.hz) freqAChanges++;
    return {
      label,
      bytes,
      writes: rig.status().writes - writesBefore,
      fields,
      samples: cache.length,
      freqAChanges,
      sampledFreqALagMs: sampledLag(cache, radio),
    };
  } finally {
    if (fd !== undefined) closeSync(fd);
    sampler.close();
    await gateway.stop();
  }
}

// ---- main ----

interface Links {
  kw: string;
  wd: string;
}

function writeConfig(work: string, rigctldPort: number): { file: string; links: Links } {
  const links: Links = { kw: join(work, 'kw'), wd: join(work, 'wd') };
  const file = join(work, 'ptt-release.yaml');
  writeFileSync(
    file,
    [
      'http:',
      '  listen: 127.0.0.1:0',
      'backends:',
      '  radio:',
      '    type: rigctld',
      `    address: 127.0.0.1:${rigctldPort}`,
      'ports:',
      '  kw:',
      '    rig: ts2000',
      '    backend: radio',
      `    link: ${links.kw}`,
      '  wd:',
      '    rig: ts2000',
      '    backend: radio',
      `    link: ${links.wd}`,
      '    ptt:',
      `      max_seconds: ${WATCHDOG_S}`,
      '',
    ].join('\n'),
  );
  return { file, links };
}

function print(figures: Figure[], lags: Lag[], seconds: number): void {
  const header = `${'path'.padEnd(32)}${'n'.padStart(4)}${'p50 ms'.padStart(10)}${'max ms'.padStart(10)}  note`;
  process.stdout.write(`${header}\n${'-'.repeat(header.length)}\n`);
  for (const f of figures) {
    const p50 = median(f.ms).toFixed(1).padStart(10);
    const max = Math.max(...f.ms)
      .toFixed(1)
      .padStart(10);
    process.stdout.write(`${f.path.padEnd(32)}${String(f.ms.length).padStart(4)}${p50}${max}  ${f.note}\n`);
  }
  process.stdout.write(
    `\nrelease times: from the trigger to the first \`t\` answer reading 0 (rigctld polled every ${POLL_MS} ms on a ` +
      `connection of its own); each gateway path ${REPS}× under a fresh write of 500 FA…;TX; pairs, released ` +
      `${KEYED_FOR_MS} ms after rigctld first read PTT 1 (the watchdog: on its own).\n`,
  );
  for (const lag of lags) {
    process.stdout.write(
      `\nFT-817 fuzz, ${lag.label}: ${lag.bytes} bytes (seed 0x${SEED.toString(16)}), ${FUZZ_CHUNK} every ` +
        `${FUZZ_EVERY_MS} ms for ${FUZZ_MS / 1000} s, then ${FUZZ_TAIL_MS / 1000} s quiet; backend writes issued: ${lag.writes}\n`,
    );
    const head = `  ${'field'.padEnd(8)}${'issued'.padStart(8)}${'unconfirmed'.padStart(13)}${'lag p50 ms'.padStart(12)}${'lag p99 ms'.padStart(12)}${'lag max ms'.padStart(12)}`;
    process.stdout.write(`${head}\n`);
    for (const f of lag.fields) {
      process.stdout.write(
        `  ${f.field.padEnd(8)}${String(f.issued).padStart(8)}${String(f.unconfirmed).padStart(13)}${f.p50Ms.toFixed(1).padStart(12)}${f.p99Ms.toFixed(1).padStart(12)}${f.maxMs.toFixed(1).padStart(12)}\n`,
      );
    }
    process.stdout.write(
      `  sampled every ${SAMPLE_MS} ms (${lag.samples} samples, cached freqA changed ${lag.freqAChanges}×): ` +
        `longest a cached freqA stayed ahead of rigctld's: ${lag.sampledFreqALagMs.toFixed(1)} ms\n`,
    );
  }
  process.stdout.write(
    `\nlag: from a value entering the shared cache (SharedRig.issue, the cache is optimistic) until the ` +
      `backend confirmed it or a later value of its field (coalesced writes resolve with the one that ` +
      `replaced them); unconfirmed: failed or dropped (a PTT-on superseded by an unkey, a refused value).\n` +
      `runtime ${seconds.toFixed(1)} s\n`,
  );
}

async function main(): Promise<void> {
  const startedAt = now();
  const work = mkdtempSync(join(tmpdir(), 'catbridge-ptt-bench-'));
  const stateDir = join(work, 'state');
  const rigctld = await Rigctld.start();
  const control = await RigLink.open(rigctld.port);
  const monitor = await RigLink.open(rigctld.port);
  let gateway: Cli | undefined;
  try {
    process.stdout.write(
      `catbridge PTT release — ${new Date().toISOString()} — node ${process.version} — rigctld -m 1 -P RIG\n\n`,
    );
    await resetRadio(control);
    const figures: Figure[] = [];
    const floorFigure = await floor(control, monitor);
    const { file, links } = writeConfig(work, rigctld.port);
    gateway = await startCli(file, stateDir);
    await resetRadio(control, gateway.url);
    figures.push(await clientCloses(gateway, links, control, monitor));
    figures.push(await restRelease(gateway, links, control, monitor));
    figures.push(await watchdog(gateway, links, control, monitor));
    await stopCli(gateway);
    gateway = undefined;
    await resetRadio(control);
    process.env.CATBRIDGE_STATE_DIR = stateDir; // the in-process gateway's PTT record
    const lags: Lag[] = [];
    for (const [label, fill] of [
      ['random bytes', randomBytes(random(SEED))],
      ['random well-formed frames', randomFrames(random(SEED))],
    ] as const) {
      lags.push(await fuzzLag(work, rigctld.port, label, fill));
      await resetRadio(control);
    }
    figures.push(...(await signals(file, stateDir, links, control, monitor)));
    figures.push(floorFigure);
    print(figures, lags, (now() - startedAt) / 1000);
  } finally {
    if (gateway) await stopCli(gateway);
    control.close();
    monitor.close();
    await rigctld.kill();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`ptt-release bench failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
