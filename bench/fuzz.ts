/**
 * Fuzz figures (issue 17): per dialect, random bytes then structured garbage (frames of the dialect's
 * own shape, random commands and parameters) into one port of the real CLI, while another port on
 * another backend is polled every 100 ms as a program would. Printed per dialect: bytes sent and
 * answered, what the emulator made of them, the writes the garbage caused at the radio (the built-in
 * sim), whether the port still answers, the poller's errors and the gateway's peak RSS. Figures, never
 * pass/fail; the bytes are seeded, so every run sends the same.
 *
 *   npm run build && node dist/bench/fuzz.js [--mb 1]     (MB of each kind per dialect)
 */
import { closeSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { random } from '../test/support/seeded-random.js';
import { type Cli, metric, rssMb, startCli, stopCli } from './cli-gateway.js';
import { DIALECTS, type Dialect } from './dialects.js';
import { ask, drain, handshake, openPort, writeAll } from './port-client.js';

const SEED = 0x17f022;
const CHUNK = 4096;
const POLL_MS = 100;
const RSS_EVERY_MS = 50;
const OBSERVER = DIALECTS['TS-2000 (Kenwood)']!;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const yieldNow = () => new Promise((resolve) => setImmediate(resolve));

interface Row {
  dialect: string;
  sentBytes: number;
  answeredBytes: number;
  commands: Record<string, number>;
  radioWrites: number;
  answersAfter: boolean;
  alive: boolean;
  polls: number;
  pollErrors: number;
  rssPeakMb: number;
}

/** Polls a port as a program would, every POLL_MS, until stopped; counts answers that are not right. */
function poller(fd: number) {
  let running = true;
  let polls = 0;
  let errors = 0;
  const done = (async () => {
    while (running) {
      const slot = performance.now();
      const answer = await ask(fd, OBSERVER.query, OBSERVER.complete, 500);
      polls++;
      if (!answer || !OBSERVER.valid(answer)) errors++;
      await sleep(Math.max(0, slot + POLL_MS - performance.now()));
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return { polls, errors };
    },
  };
}

/** Samples a process's RSS every RSS_EVERY_MS until stopped; the peak, in MB. */
function rssPeak(pid: number) {
  let peak = 0;
  const timer = setInterval(() => {
    rssMb(pid).then(
      (mb) => {
        peak = Math.max(peak, mb);
      },
      () => undefined, // exited: the row says so
    );
  }, RSS_EVERY_MS);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

async function commandsByResult(gateway: Cli, port: string): Promise<Record<string, number>> {
  const results = ['query', 'set', 'unknown', 'malformed', 'overflow'];
  const counts = await Promise.all(
    results.map((result) => metric(gateway.url, 'catbridge_port_commands_total', { port, result })),
  );
  return Object.fromEntries(results.map((r, i) => [r, counts[i]!]));
}

async function fuzzOne(
  gateway: Cli,
  name: string,
  dialect: Dialect,
  link: string,
  observerFd: number,
  mb: number,
): Promise<Row> {
  const port = `fuzz-${dialect.profile}`;
  const backend = `sim-${dialect.profile}`;
  const fd = openPort(link);
  await handshake(fd, dialect.query, (answer) => dialect.valid(answer));
  drain(fd);
  const writesBefore = await metric(gateway.url, 'catbridge_backend_requests_total', {
    backend,
    kind: 'write',
  });
  const before = await commandsByResult(gateway, port);
  const poll = poller(observerFd);
  const peak = rssPeak(gateway.child.pid!);
  const next = random(SEED);
  const bytes = mb * 1024 * 1024;
  const random_ = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) random_[i] = (next() * 256) | 0;
  let sentBytes = 0;
  let answeredBytes = 0;
  for (const load of [random_, dialect.garbage(next, bytes)]) {
    for (let offset = 0; offset < load.length; offset += CHUNK) {
      const chunk = load.subarray(offset, offset + CHUNK);
      await writeAll(fd, chunk);
      sentBytes += chunk.length;
      answeredBytes += drain(fd);
      await yieldNow(); // the poller's turn
    }
  }
  await sleep(500);
  answeredBytes += drain(fd);
  const { polls, errors } = await poll.stop();
  const rssPeakMb = peak();
  const alive = gateway.child.exitCode === null;
  // The port still answers after all that: a framer left stuck mid-frame would not.
  let answersAfter = false;
  if (alive) {
    answersAfter = await handshake(fd, dialect.query, (answer) => dialect.valid(answer)).then(
      () => true,
      () => false,
    );
  }
  closeSync(fd);
  const after = alive ? await commandsByResult(gateway, port) : before;
  const writesAfter = alive
    ? await metric(gateway.url, 'catbridge_backend_requests_total', { backend, kind: 'write' })
    : writesBefore;
  const commands = Object.fromEntries(Object.keys(after).map((k) => [k, after[k]! - before[k]!]));
  return {
    dialect: name,
    sentBytes,
    answeredBytes,
    commands,
    radioWrites: writesAfter - writesBefore,
    answersAfter,
    alive,
    polls,
    pollErrors: errors,
    rssPeakMb,
  };
}

function writeConfig(work: string): { file: string; links: Record<string, string> } {
  const lines = ['http:', '  listen: 127.0.0.1:0', 'backends:', '  sim-observer:', '    type: sim'];
  for (const d of Object.values(DIALECTS)) lines.push(`  sim-${d.profile}:`, '    type: sim');
  lines.push(
    'ports:',
    '  observer:',
    `    rig: ${OBSERVER.profile}`,
    '    backend: sim-observer',
    `    link: ${join(work, 'observer')}`,
  );
  const links: Record<string, string> = { observer: join(work, 'observer') };
  for (const d of Object.values(DIALECTS)) {
    links[d.profile] = join(work, `fuzz-${d.profile}`);
    lines.push(
      `  fuzz-${d.profile}:`,
      `    rig: ${d.profile}`,
      `    backend: sim-${d.profile}`,
      `    link: ${links[d.profile]}`,
    );
  }
  const file = join(work, 'fuzz.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, links };
}

function print(rows: Row[], mb: number, rssStartMb: number): void {
  console.log(
    `\nFuzz: ${mb} MB random + ${mb} MB structured bytes per dialect (seed 0x${SEED.toString(16)}), ` +
      `${CHUNK}-byte writes; a TS-2000 port on another backend polled every ${POLL_MS} ms meanwhile. ` +
      `Gateway RSS before: ${rssStartMb.toFixed(1)} MB.`,
  );
  console.log(
    'dialect            sent MB  answered KB  query     set  unknown  malformed  overflow  radio writes  answers after  crash  polls  poll errors  RSS peak MB',
  );
  for (const r of rows) {
    const c = r.commands;
    console.log(
      `${r.dialect.padEnd(18)} ${(r.sentBytes / 1048576).toFixed(1).padStart(7)}  ${(r.answeredBytes / 1024).toFixed(0).padStart(11)}  ` +
        `${String(c.query).padStart(5)}  ${String(c.set).padStart(6)}  ${String(c.unknown).padStart(7)}  ${String(c.malformed).padStart(9)}  ` +
        `${String(c.overflow).padStart(8)}  ${String(r.radioWrites).padStart(12)}  ${(r.answersAfter ? 'yes' : 'NO').padStart(13)}  ` +
        `${(r.alive ? 'no' : 'YES').padStart(5)}  ${String(r.polls).padStart(5)}  ${String(r.pollErrors).padStart(11)}  ${r.rssPeakMb.toFixed(1).padStart(11)}`,
    );
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { mb: { type: 'string', default: '1' } } });
  const mb = Number(values.mb);
  if (!(mb > 0)) throw new Error(`--mb must be a positive number, not ${values.mb}`);
  const work = mkdtempSync(join(tmpdir(), 'catbridge-fuzz-'));
  let gateway: Cli | undefined;
  try {
    const { file, links } = writeConfig(work);
    gateway = await startCli(file, work);
    const observerFd = openPort(links.observer!);
    await handshake(observerFd, OBSERVER.query, (answer) => OBSERVER.valid(answer));
    drain(observerFd);
    const rssStartMb = await rssMb(gateway.child.pid!);
    const rows: Row[] = [];
    for (const [name, dialect] of Object.entries(DIALECTS)) {
      const row = await fuzzOne(gateway, name, dialect, links[dialect.profile]!, observerFd, mb);
      rows.push(row);
      if (!row.alive) break;
    }
    closeSync(observerFd);
    print(rows, mb, rssStartMb);
    if (gateway.stderr().trim())
      console.log(
        `\ngateway log (warn and above):\n${gateway.stderr().trim().split('\n').slice(-10).join('\n')}`,
      );
  } finally {
    if (gateway) await stopCli(gateway);
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
