/**
 * `npm run bench`: figures, never pass/fail. Every gateway figure is printed beside a floor measured
 * in the same run on the same machine (a minimal native responder on a pty that answers from a fixed
 * table: the least any emulator can cost), because these machines are noisy.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/gateway/config.js';
import { Gateway } from '../src/gateway/gateway.js';
import { packageRoot } from '../src/util/package-root.js';
import { flrigDoorVsFlrig, rigctldDoorFigures } from './doors.js';
import { rigOpenTimes } from './rig-open.js';
import { backendRateByClients, flrigCachedVsRefresh, recoveryAfterRestart } from './sharing.js';
import {
  hamlibOpsPerSecond,
  type RoundTrip,
  rawRoundTrip,
  startFloor,
  startRigctld,
  waitForLine,
} from './tools.js';

const root = packageRoot();
const work = mkdtempSync(join(tmpdir(), 'catbridge-bench-'));
const RTT_COUNT = 3000;
const HAMLIB_OPS = 1000;
const ROUNDS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function compile(source: string, name: string): string {
  const out = join(work, name);
  execFileSync('cc', ['-O2', '-o', out, join(root, source)]);
  return out;
}

/** A config with one port per entry of `rigs`, named p0, p1, … */
function writeConfig(name: string, backend: string, rigs: string[]): string {
  const lines = ['backends:', '  radio:', `    ${backend}`, 'ports:'];
  rigs.forEach((rig, i) => {
    lines.push(
      `  p${i}:`,
      `    rig: ${rig}`,
      '    backend: radio',
      `    link: ${join(work, `${name}-p${i}`)}`,
    );
  });
  const file = join(work, `${name}.yaml`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** `hex:FEFE94E02500FD` → `25 00` (a CI-V frame's command), `hex:0000000003` → `00 00 00 00 03`. */
function hexLabel(cmd: string): string {
  const hex = cmd.slice(4);
  const body = hex.startsWith('FEFE') ? hex.slice(8, -2) : hex;
  return body.match(/../g)?.join(' ') ?? hex;
}

interface Case {
  family: string;
  link: string;
  model: number;
  reads: { cmd: string; replyBytes?: number; legacy?: boolean }[];
  floorOps: boolean;
}

function onPath(tool: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, tool)));
}

function row(label: string, gateway: string, floor: string, note = ''): void {
  process.stdout.write(`${label.padEnd(34)} ${gateway.padStart(14)} ${floor.padStart(14)}  ${note}\n`);
}

async function main(): Promise<void> {
  const rtt = compile('bench/client/rtt.c', 'rtt');
  const floorBin = compile('bench/floor/floor.c', 'floor');
  const rigctld = await startRigctld();
  const floor = await startFloor(floorBin);

  // The gateway under test: in this process, a TS-2000 and an IC-7300 port on a real rigctld (Hamlib's
  // dummy radio). The floor answers both dialects on one pty.
  const legacyFloor = await startFloor(floorBin, ['legacy']);
  const gateway = await Gateway.start(
    loadConfig(
      writeConfig('one', `type: rigctld\n    address: 127.0.0.1:${rigctld.port}`, [
        'ts2000',
        'ic7300',
        'ft991a',
        'ft817',
        'ic705',
        'ic9700',
        'ic7610',
        'k4',
        'g90',
        'powersdr',
      ]),
    ),
    pino({ level: 'warn' }),
  );
  // One port per family, and every CI-V model. `floorOps`: whether the floor can also serve Hamlib's
  // open for that model (it answers the TS-2000's and the Icoms'; newcat and 5-byte opens need a
  // fuller radio).
  const cases: Case[] = [
    {
      family: 'Kenwood TS-2000',
      link: join(work, 'one-p0'),
      model: 2014,
      reads: [{ cmd: 'FA;' }, { cmd: 'IF;' }],
      floorOps: true,
    },
    {
      family: 'Icom IC-7300',
      link: join(work, 'one-p1'),
      model: 3073,
      reads: [{ cmd: 'hex:FEFE94E02500FD' }],
      floorOps: true,
    },
    {
      family: 'Yaesu FT-991A',
      link: join(work, 'one-p2'),
      model: 1035,
      reads: [{ cmd: 'FA;' }],
      floorOps: false,
    },
    {
      family: 'Yaesu FT-817',
      link: join(work, 'one-p3'),
      model: 1020,
      reads: [{ cmd: 'hex:0000000003', replyBytes: 5, legacy: true }],
      floorOps: false,
    },
    // The other CI-V models: the same family code at their own addresses. Hamlib never checks the
    // address of a reply, so the floor's IC-7300 answers serve their opens too.
    ...(
      [
        ['Icom IC-705', 4, 3085, 'A4'],
        ['Icom IC-9700', 5, 3081, 'A2'],
        ['Icom IC-7610', 6, 3078, '98'],
      ] as const
    ).map(([family, index, model, address]) => ({
      family,
      link: join(work, `one-p${index}`),
      model,
      reads: [{ cmd: `hex:FEFE${address}E02500FD` }],
      floorOps: true,
    })),
    // Issue 15's new dialects: the K4 (Elecraft, with its sub receiver's MD$), the Xiegus (a CI-V
    // subset at 70) and the ZZ extensions (PowerSDR/Thetis, the Flex). The floor answers these reads but
    // not the whole of Hamlib's opens for them, so their ops/s have no floor column.
    {
      family: 'Elecraft K4',
      link: join(work, 'one-p7'),
      model: 2047,
      reads: [{ cmd: 'FA;' }, { cmd: 'MD$;' }],
      floorOps: false,
    },
    {
      family: 'Xiegu G90',
      link: join(work, 'one-p8'),
      model: 3088,
      reads: [{ cmd: 'hex:FEFE70E02500FD' }],
      floorOps: false,
    },
    {
      family: 'PowerSDR (ZZ)',
      link: join(work, 'one-p9'),
      model: 2048,
      reads: [{ cmd: 'ZZFA;' }, { cmd: 'ZZMD;' }],
      floorOps: false,
    },
  ];
  const shared = gateway.rigs.get('radio')!;

  process.stdout.write(`catbridge benchmark — ${new Date().toISOString()} — node ${process.version}\n\n`);
  row('figure', 'gateway', 'floor', '');
  row('------', '-------', '-----', '');
  // Gateway and floor alternate, ROUNDS times each, and the median round is printed: the noise of a
  // shared machine hits both sides alike.
  for (const c of cases) {
    for (const read of c.reads) {
      const label = `${c.family} ${read.cmd.startsWith('hex:') ? hexLabel(read.cmd) : read.cmd}`;
      const floorPath = read.legacy ? legacyFloor.path : floor.path;
      const readsBefore = shared.status().reads;
      const g: RoundTrip[] = [];
      const f: RoundTrip[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        g.push(await rawRoundTrip(rtt, c.link, read.cmd, RTT_COUNT, read.replyBytes));
        f.push(await rawRoundTrip(rtt, floorPath, read.cmd, RTT_COUNT, read.replyBytes));
      }
      const backendReads = shared.status().reads - readsBefore;
      const gp50 = median(g.map((r) => r.p50_us));
      const fp50 = median(f.map((r) => r.p50_us));
      row(
        `${label} p50 (µs)`,
        gp50.toFixed(1),
        fp50.toFixed(1),
        `ratio ${(gp50 / fp50).toFixed(2)}× (goal ≤ 2×)`,
      );
      row(
        `${label} p99 (µs)`,
        median(g.map((r) => r.p99_us)).toFixed(1),
        median(f.map((r) => r.p99_us)).toFixed(1),
        'goal: gateway p99 < 1000 µs',
      );
      row(
        `${label} backend reads`,
        String(backendReads),
        '-',
        `${ROUNDS * RTT_COUNT} replies from the cache`,
      );
    }

    const gOps: number[] = [];
    const fOps: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      gOps.push(await hamlibOpsPerSecond(c.link, HAMLIB_OPS, c.model));
      if (c.floorOps) fOps.push(await hamlibOpsPerSecond(floor.path, HAMLIB_OPS, c.model));
    }
    const gMedian = median(gOps);
    const fMedian = c.floorOps ? median(fOps) : Number.NaN;
    row(
      `${c.family} get_freq ops/s`,
      gMedian.toFixed(0),
      c.floorOps ? fMedian.toFixed(0) : '-',
      c.floorOps
        ? `${((100 * gMedian) / fMedian).toFixed(0)}% of floor (goal ≥ 90%), rigctl -m ${c.model}, cache_timeout=0`
        : `rigctl -m ${c.model}, cache_timeout=0`,
    );
  }
  await gateway.stop();

  // Start-up time and memory: the real CLI as a user starts it, 1 and 16 ports on the simulator.
  for (const ports of [1, 16]) {
    const config = writeConfig(`sim${ports}`, 'type: sim', Array(ports).fill('ts2000'));
    const started = performance.now();
    const child = spawn(process.execPath, [join(root, 'dist/src/cli.js'), '--config', config], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    await waitForLine(child, /catbridge ready/, 10_000);
    const startupMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
    const floorRssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${floor.pid}/status`, 'utf8'))?.[1]);
    row(`start-up to ready, ${ports} port(s) (ms)`, startupMs.toFixed(0), '-', 'process spawn → ready line');
    row(
      `RSS, ${ports} port(s) (MiB)`,
      (rssKb / 1024).toFixed(1),
      (floorRssKb / 1024).toFixed(1),
      'floor: 1 native pty',
    );
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }

  await rigOpenTimes(work, row);
  await backendRateByClients(work, row);
  await rigctldDoorFigures(work, row);
  await recoveryAfterRestart(work, row);
  if (['flrig', 'Xvfb'].every(onPath)) {
    await flrigCachedVsRefresh(work, rtt, row);
    await flrigDoorVsFlrig(work, row);
  } else row('flrig figures', '-', '-', 'skipped: flrig or Xvfb not installed');

  legacyFloor.stop();
  floor.stop();
  await rigctld.stop();
  rmSync(work, { recursive: true, force: true });
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
