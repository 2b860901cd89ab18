/**
 * What watching costs the ports: port round-trip latency (bench/client/rtt.c, raw `FA;`/`IF;` on a
 * TS-2000 port and CI-V `25 00` on an IC-7300 port) with no websocket client, with 10 trace subscribers
 * that keep up, and with 10 that stopped reading (their queues full, events dropped). Conditions
 * alternate ROUNDS times and the median round is printed, as in bench/run.ts. Figures, never pass/fail.
 *
 *   npm run build && node dist/bench/trace-cost.js
 */
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import WebSocket from 'ws';
import { loadConfig } from '../src/gateway/config.js';
import { Gateway } from '../src/gateway/gateway.js';
import { HttpServer } from '../src/gateway/http/server.js';
import { packageRoot } from '../src/util/package-root.js';
import { type RoundTrip, rawRoundTrip, startRigctld } from './tools.js';

const root = packageRoot();
const RTT_COUNT = 3000;
const ROUNDS = 5;
const SUBSCRIBERS = 10;

type Condition = 'none' | 'reading' | 'stalled';
const LABEL: Record<Condition, string> = {
  none: '0 subscribers',
  reading: `${SUBSCRIBERS} subscribers`,
  stalled: `${SUBSCRIBERS} stalled`,
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * The subscribers run in a child process of their own (this file with `subscribers URL N MODE`), as a
 * browser would: parsing their events must not be counted against the gateway's event loop.
 */
async function subscribersChild(url: string, count: number, stalled: boolean): Promise<void> {
  const frames: number[] = Array(count).fill(0);
  const sockets = await Promise.all(
    frames.map(
      (_, i) =>
        new Promise<WebSocket>((resolve, reject) => {
          const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/api/events`, ['catbridge.v1']);
          socket.on('message', (data) => {
            const { events } = JSON.parse(data.toString()) as { events: { type: string }[] };
            for (const event of events) {
              if (event.type === 'hello') resolve(socket);
              if (event.type === 'frame') frames[i]!++;
            }
          });
          socket.once('error', reject);
        }),
    ),
  );
  if (stalled) {
    // The client's TCP socket stops reading: the server's writes back up, its queues fill and drop.
    for (const socket of sockets) (socket as unknown as { _socket: { pause(): void } })._socket.pause();
  }
  process.send!('ready');
  process.on('message', () => {
    process.send!(median(frames));
    for (const socket of sockets) socket.terminate();
    process.disconnect();
  });
}

async function withSubscribers<T>(
  url: string,
  condition: Condition,
  run: () => Promise<T>,
): Promise<{ result: T; framesEach: number }> {
  if (condition === 'none') return { result: await run(), framesEach: 0 };
  const child = fork(fileURLToPath(import.meta.url), ['subscribers', url, String(SUBSCRIBERS), condition]);
  const replies: unknown[] = [];
  let wake: (() => void) | undefined;
  child.on('message', (message) => {
    replies.push(message);
    wake?.();
  });
  const next = async () => {
    while (replies.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    return replies.shift();
  };
  await next(); // ready
  const result = await run();
  // Let the last batch (50 ms) arrive before counting.
  await new Promise((resolve) => setTimeout(resolve, 200));
  child.send('report');
  const framesEach = Number(await next());
  await new Promise((resolve) => child.once('exit', resolve));
  return { result, framesEach };
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'catbridge-trace-bench-'));
  const rtt = join(work, 'rtt');
  execFileSync('cc', ['-O2', '-o', rtt, join(root, 'bench/client/rtt.c')]);
  const rigctld = await startRigctld();
  const config = join(work, 'trace.yaml');
  writeFileSync(
    config,
    [
      'http:',
      '  listen: 127.0.0.1:0',
      'backends:',
      '  radio:',
      '    type: rigctld',
      `    address: 127.0.0.1:${rigctld.port}`,
      'ports:',
      '  kenwood:',
      '    rig: ts2000',
      '    backend: radio',
      `    link: ${join(work, 'kenwood')}`,
      '  icom:',
      '    rig: ic7300',
      '    backend: radio',
      `    link: ${join(work, 'icom')}`,
      '',
    ].join('\n'),
  );
  const logger = pino({ level: 'warn' });
  const loaded = loadConfig(config);
  const gateway = await Gateway.start(loaded, logger);
  const http = await HttpServer.start(gateway, loaded.http, logger);
  // The hub's batch work runs on the gateway's event loop: time it, to tell it apart from the CPU the
  // subscribers (another process, the same 2 cores) take from everyone.
  const hub = http.hub as unknown as { flush(): void };
  const flush = hub.flush.bind(hub);
  let flushMs = 0;
  hub.flush = () => {
    const started = performance.now();
    flush();
    flushMs += performance.now() - started;
  };

  process.stdout.write(
    `catbridge trace cost — ${new Date().toISOString()} — node ${process.version} — ${RTT_COUNT} round trips × ${ROUNDS} rounds per figure (median round)\n\n`,
  );
  const header = `${'command'.padEnd(12)}${'condition'.padEnd(16)}${'p50 µs'.padStart(9)}${'p90 µs'.padStart(9)}${'p99 µs'.padStart(9)}${'mean µs'.padStart(9)}${'max µs'.padStart(9)}  frames/subscriber, hub work`;
  process.stdout.write(`${header}\n${'-'.repeat(header.length)}\n`);
  const cases = [
    { label: 'FA;', link: join(work, 'kenwood'), command: 'FA;' },
    { label: 'IF;', link: join(work, 'kenwood'), command: 'IF;' },
    { label: 'CI-V 25 00', link: join(work, 'icom'), command: 'hex:FEFE94E02500FD' },
  ];
  for (const c of cases) {
    const rounds: Record<Condition, { rt: RoundTrip; framesEach: number; flushUsPerFrame: number }[]> = {
      none: [],
      reading: [],
      stalled: [],
    };
    for (let round = 0; round < ROUNDS; round++) {
      for (const condition of ['none', 'reading', 'stalled'] as const) {
        flushMs = 0;
        const { result, framesEach } = await withSubscribers(http.url, condition, () =>
          rawRoundTrip(rtt, c.link, c.command, RTT_COUNT),
        );
        rounds[condition].push({ rt: result, framesEach, flushUsPerFrame: (flushMs * 1000) / RTT_COUNT });
      }
    }
    const p50None = median(rounds.none.map((r) => r.rt.p50_us));
    for (const condition of ['none', 'reading', 'stalled'] as const) {
      const r = rounds[condition];
      const m = (key: keyof RoundTrip) =>
        median(r.map((x) => x.rt[key]))
          .toFixed(1)
          .padStart(9);
      const frames =
        condition === 'none'
          ? '-'
          : `${median(r.map((x) => x.framesEach))}, hub ${median(r.map((x) => x.flushUsPerFrame)).toFixed(1)} µs/frame`;
      const p50 = median(r.map((x) => x.rt.p50_us));
      const ratio = condition === 'none' ? '' : `  (p50 ${(p50 / p50None).toFixed(2)}× of 0 subscribers)`;
      process.stdout.write(
        `${c.label.padEnd(12)}${LABEL[condition].padEnd(16)}${m('p50_us')}${m('p90_us')}${m('p99_us')}${m('mean_us')}${m('max_us')}  ${frames}${ratio}\n`,
      );
    }
  }
  process.stdout.write(
    '\nframes/subscriber: trace frames each subscriber received in the round (stalled ones receive little: their queues drop).\n' +
      "hub work: the event hub's batch time on the gateway's event loop (decode, JSON, fan-out, socket writes), per port frame.\n",
  );

  await http.close();
  await gateway.stop();
  await rigctld.stop();
  rmSync(work, { recursive: true, force: true });
}

const [mode, childUrl, childCount, childCondition] = process.argv.slice(2);
const entry =
  mode === 'subscribers'
    ? subscribersChild(childUrl!, Number(childCount), childCondition === 'stalled')
    : main();
entry.catch((err) => {
  process.stderr.write(`trace-cost bench failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
