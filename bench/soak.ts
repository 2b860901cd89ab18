/**
 * Soak figures (issue 17): the real CLI with 8 ports (two per dialect) on the built-in sim, each
 * polled for its frequency every 200 ms as a program would, with a PTT cycle (on 1 s, off 4 s) on the
 * first port throughout. Printed: replies, errors (a missing or wrong answer), PTT cycles, and the
 * gateway's RSS after the warm-up, at half time, at the end and at its peak, with the growth in %.
 * Figures, never pass/fail.
 *
 *   npm run build && node dist/bench/soak.js [--seconds 60]
 */
import { closeSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Cli, rssMb, startCli, stopCli } from './cli-gateway.js';
import { DIALECTS, type Dialect } from './dialects.js';
import { ask, drain, handshake, openPort, writeAll } from './port-client.js';

const PORTS_PER_DIALECT = 2;
const POLL_MS = 200;
const PTT_EVERY_MS = 5000;
const PTT_ON_MS = 1000;
const RSS_EVERY_MS = 1000;
/** RSS is compared from here on: start-up allocations (JIT, first buffers) are not growth. */
const WARM_UP_MS = 5000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Port {
  name: string;
  dialect: Dialect;
  link: string;
}

function writeConfig(work: string): { file: string; ports: Port[] } {
  const lines = ['http:', '  listen: 127.0.0.1:0', 'backends:', '  sim:', '    type: sim', 'ports:'];
  const ports: Port[] = [];
  for (let copy = 0; copy < PORTS_PER_DIALECT; copy++) {
    for (const dialect of Object.values(DIALECTS)) {
      const name = `${dialect.profile}-${copy}`;
      const link = join(work, name);
      ports.push({ name, dialect, link });
      lines.push(`  ${name}:`, `    rig: ${dialect.profile}`, '    backend: sim', `    link: ${link}`);
    }
  }
  const file = join(work, 'soak.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, ports };
}

/** One program's loop on a port until `endAt`: a read every POLL_MS; counts replies and errors. */
async function pollPort(fd: number, dialect: Dialect, endAt: number) {
  let replies = 0;
  let errors = 0;
  while (performance.now() < endAt) {
    const slot = performance.now();
    const answer = await ask(fd, dialect.query, dialect.complete, 1000);
    if (answer && dialect.valid(answer)) replies++;
    else {
      errors++;
      drain(fd); // a late answer must not be taken for the next one's
    }
    await sleep(Math.max(0, slot + POLL_MS - performance.now()));
  }
  return { replies, errors };
}

/** PTT on for PTT_ON_MS every PTT_EVERY_MS, on its own descriptor of the first port, until `endAt`. */
async function pttCycles(link: string, dialect: Dialect, endAt: number): Promise<number> {
  const fd = openPort(link);
  let cycles = 0;
  try {
    while (performance.now() + PTT_EVERY_MS < endAt) {
      const slot = performance.now();
      await writeAll(fd, dialect.pttOn);
      await sleep(PTT_ON_MS);
      await writeAll(fd, dialect.pttOff);
      cycles++;
      await sleep(Math.max(0, slot + PTT_EVERY_MS - performance.now()));
    }
  } finally {
    closeSync(fd);
  }
  return cycles;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' } } });
  const seconds = Number(values.seconds);
  if (!(seconds * 1000 > WARM_UP_MS))
    throw new Error(`--seconds must be over ${WARM_UP_MS / 1000}, not ${values.seconds}`);
  const work = mkdtempSync(join(tmpdir(), 'catbridge-soak-'));
  let gateway: Cli | undefined;
  const fds: number[] = [];
  try {
    const { file, ports } = writeConfig(work);
    gateway = await startCli(file, work);
    const pid = gateway.child.pid!;
    for (const port of ports) {
      const fd = openPort(port.link);
      fds.push(fd);
      await handshake(fd, port.dialect.query, (answer) => port.dialect.valid(answer));
      drain(fd);
    }
    const started = performance.now();
    const endAt = started + seconds * 1000;
    const rss: { atMs: number; mb: number }[] = [];
    const sampler = setInterval(() => {
      void rssMb(pid).then(
        (mb) => rss.push({ atMs: performance.now() - started, mb }),
        () => undefined,
      );
    }, RSS_EVERY_MS);
    const [cycles, ...results] = await Promise.all([
      pttCycles(ports[0]!.link, ports[0]!.dialect, endAt),
      ...ports.map((port, i) => pollPort(fds[i]!, port.dialect, endAt)),
    ]);
    clearInterval(sampler);
    const alive = gateway.child.exitCode === null;
    const replies = results.reduce((sum, r) => sum + r.replies, 0);
    const errors = results.reduce((sum, r) => sum + r.errors, 0);
    const after = rss.filter((s) => s.atMs >= WARM_UP_MS);
    const first = after[0]?.mb ?? Number.NaN;
    const middle = after[Math.floor(after.length / 2)]?.mb ?? Number.NaN;
    const last = after.at(-1)?.mb ?? Number.NaN;
    const peak = Math.max(...rss.map((s) => s.mb));
    const growth = (to: number) => `${(((to - first) / first) * 100).toFixed(1)} %`;
    console.log(
      `\nSoak: ${seconds} s, ${ports.length} ports (${PORTS_PER_DIALECT} each of ${Object.values(DIALECTS)
        .map((d) => d.profile)
        .join(
          ', ',
        )}) on the sim, each read every ${POLL_MS} ms; PTT on ${PTT_ON_MS} ms every ${PTT_EVERY_MS} ms on ${ports[0]!.name}.`,
    );
    console.log(
      `replies ${replies}, errors ${errors}, PTT cycles ${cycles}, gateway ${alive ? 'still running' : 'EXITED'}`,
    );
    console.log(
      `RSS after ${WARM_UP_MS / 1000} s warm-up ${first.toFixed(1)} MB, at half time ${middle.toFixed(1)} MB (${growth(middle)}), ` +
        `at the end ${last.toFixed(1)} MB (${growth(last)}), peak ${peak.toFixed(1)} MB`,
    );
    for (const [i, port] of ports.entries()) {
      const r = results[i]!;
      if (r.errors > 0) console.log(`  ${port.name}: ${r.replies} replies, ${r.errors} errors`);
    }
  } finally {
    for (const fd of fds) closeSync(fd);
    if (gateway) await stopCli(gateway);
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
