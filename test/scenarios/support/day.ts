/**
 * The shack for the "day in a real shack" scenarios: real rigctld dummies (one per bench), optionally
 * behind a DelayRelay, one in-process gateway with every bench's ports, real Hamlib programs on the
 * ports, and recorders for what happened on each port and what reached each radio.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExpectStatic } from 'vitest';
import { parse } from 'yaml';
import { type RadioSide, rigctldSide } from '../../contract/radio-side.js';
import { GatewayHarness, type HarnessPort } from '../../support/gateway-harness.js';
import { Rigctld, rigctlCmd, rigctlReplies } from '../../support/rigctld.js';
import { DelayRelay, isRadioWrite, type RelayedLine } from './relay.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const now = () => performance.now();

// ---- the 16 models ----------------------------------------------------------------------------------

export type Family = 'kenwood' | 'icom' | 'newcat' | 'yaesu5';

export interface ModelSpec {
  /** Profile name in config/rigs/. */
  name: string;
  /** Hamlib model number, as the profile's `hamlib.model` names it. */
  model: number;
  family: Family;
  /** Hamlib 4.5.4's serial timeout and retries for the model (`rigctl --dump-caps`). */
  timeoutMs: number;
  retries: number;
  /** What a freshly opened port may make its first reply wait: Hamlib's timeout − 50 ms. */
  firstReplyBoundMs: number;
  /** How Hamlib reaches the model: a serial port (the port's pty), or the network (its CAT over TCP). */
  link: 'pty' | 'tcp';
}

/** A port's config keys for a model's link: a network-only model gets a CAT-over-TCP door. */
export function linkKeys(model: ModelSpec): Record<string, unknown> | undefined {
  return model.link === 'tcp' ? { transport: 'tcp', tcp: '127.0.0.1:0' } : undefined;
}

const PROFILES: readonly [string, Family][] = [
  ['ts2000', 'kenwood'],
  ['ts590sg', 'kenwood'],
  ['ts480', 'kenwood'],
  ['k3', 'kenwood'],
  ['ic7300', 'icom'],
  ['ic705', 'icom'],
  ['ic9700', 'icom'],
  ['ic7610', 'icom'],
  ['ft991a', 'newcat'],
  ['ftdx10', 'newcat'],
  ['ft891', 'newcat'],
  ['ftdx101d', 'newcat'],
  ['ft817', 'yaesu5'],
  ['ft818', 'yaesu5'],
  ['ft857', 'yaesu5'],
  ['ft897', 'yaesu5'],
  // Issue 15.
  ['ts590s', 'kenwood'],
  ['ts890s', 'kenwood'],
  ['ts990s', 'kenwood'],
  ['qcx', 'kenwood'],
  ['k3s', 'kenwood'],
  ['kx3', 'kenwood'],
  ['kx2', 'kenwood'],
  ['k4', 'kenwood'],
  ['powersdr', 'kenwood'],
  ['ic7100', 'icom'],
  ['ic7600', 'icom'],
  ['ic9100', 'icom'],
  ['ic706mk2g', 'icom'],
  ['x6100', 'icom'],
  ['g90', 'icom'],
  ['ft710', 'newcat'],
  ['ftdx3000', 'newcat'],
  ['ft950', 'newcat'],
  ['ft450d', 'newcat'],
  // Hamlib 4.5.4 reaches the FLEX-6000 (2036) only over the network: through its port's CAT over TCP.
  ['flex6000', 'kenwood'],
];

const RIGS_DIR = join(import.meta.dirname, '..', '..', '..', 'config', 'rigs');

/** The Hamlib model each profile names (read from its YAML, not assumed) and that model's timing caps. */
export function loadModels(): ModelSpec[] {
  return PROFILES.map(([name, family]) => {
    const profile = parse(readFileSync(join(RIGS_DIR, `${name}.yaml`), 'utf8')) as {
      hamlib?: { model?: number };
    };
    const model = profile.hamlib?.model;
    if (typeof model !== 'number') throw new Error(`config/rigs/${name}.yaml names no hamlib.model`);
    const caps = spawnSync('rigctl', ['-m', String(model), '--dump-caps'], { encoding: 'utf8' }).stdout ?? '';
    const timing = /timeout (\d+)mS, (\d+) retry/.exec(caps);
    if (!timing) throw new Error(`rigctl --dump-caps -m ${model}: no timeout in its caps`);
    const timeoutMs = Number(timing[1]);
    return {
      name,
      model,
      family,
      timeoutMs,
      retries: Number(timing[2]),
      firstReplyBoundMs: timeoutMs - 50,
      // Hamlib's own word for how the model is reached ("Port type: Network link" for the FLEX-6000).
      link: /Port type:\s+Network link/.test(caps) ? 'tcp' : 'pty',
    };
  });
}

// ---- programs ----------------------------------------------------------------------------------------

export interface OneShot {
  args: string[];
  /** Non-empty stdout lines. */
  lines: string[];
  ok: boolean;
  code: number | null;
  startedAt: number;
  endedAt: number;
  /** When rigctl wrote its first output (the answer to its first command), or null. */
  firstOutAt: number | null;
  output: string;
}

/**
 * `rigctl -m <model> -r <link> <commands…>`, the one-shot a user types or a script runs: it opens the
 * port, runs the commands, closes the port and exits. Killed after `timeoutMs`.
 */
export function rigctlOnce(
  model: number,
  link: string,
  commands: string[],
  options: { extraArgs?: string[]; timeoutMs?: number } = {},
): Promise<OneShot> {
  const args = ['-o0', 'rigctl', '-m', String(model), '-r', link, ...(options.extraArgs ?? []), ...commands];
  const startedAt = now();
  const child = spawn('stdbuf', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let firstOutAt: number | null = null;
  child.stdout.setEncoding('latin1');
  child.stderr.setEncoding('latin1');
  child.stdout.on('data', (text: string) => {
    firstOutAt ??= now();
    out += text;
  });
  child.stderr.on('data', (text: string) => {
    err = (err + text).slice(-4000);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      const output = `${out}${err ? `\n[stderr] ${err}` : ''}`.trim();
      const lines = out
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.length > 0);
      // rigctl reports a failed command with "<name>: error = …" (on stdout in one-shot mode).
      const ok = code === 0 && !/error = /.test(out) && !/error = /.test(err);
      resolve({ args: args.slice(2), lines, ok, code, startedAt, endedAt: now(), firstOutAt, output });
    });
  });
}

/**
 * A client that opens the serial device (or connects to `host:port`, a CAT-over-TCP door), sends
 * nothing, and closes it after `holdMs`.
 */
export async function silentClient(link: string, holdMs: number): Promise<{ openedAt: number }> {
  const tcp = /^([\d.]+):(\d+)$/.exec(link);
  if (tcp) {
    const { connect } = await import('node:net');
    const socket = connect(Number(tcp[2]), tcp[1]);
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const openedAt = now();
    await sleep(holdMs);
    socket.end();
    return { openedAt };
  }
  const { open } = await import('node:fs/promises');
  const { constants } = await import('node:fs');
  const handle = await open(link, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  const openedAt = now();
  await sleep(holdMs);
  await handle.close();
  return { openedAt };
}

/** A client that opens the device, writes `bytes` (a half frame), and closes at once. */
export async function halfFrameClient(link: string, bytes: Uint8Array): Promise<void> {
  const { open } = await import('node:fs/promises');
  const { constants } = await import('node:fs');
  const handle = await open(link, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  await handle.write(bytes);
  await sleep(20);
  await handle.close();
}

// ---- what the radio holds ------------------------------------------------------------------------------

export interface RadioState {
  freqA: number;
  freqB: number;
  modeA: string;
  passbandA: number;
  modeB: string;
  passbandB: number;
  vfo: string;
  split: boolean;
  txVfo: string;
  ptt: boolean;
}

/**
 * The radio's whole state, read from rigctld directly (Main≡VFOA, Sub≡VFOB): one question at a time,
 * until two readings agree (rigctld 4.5.4 under a loaded machine answered a lone `\get_vfo_info VFOB`
 * with VFO A's frequency once in a full CI run, while the radio itself had not moved).
 */
export async function snapshot(radio: RadioSide): Promise<RadioState> {
  let last = await readRadioOnce(radio);
  for (let attempt = 0; attempt < 4; attempt++) {
    const again = await readRadioOnce(radio);
    if (JSON.stringify(again) === JSON.stringify(last)) return again;
    last = again;
  }
  return last;
}

async function readRadioOnce(radio: RadioSide): Promise<RadioState> {
  const a = { ...(await radio.mode('VFOA')), freq: await radio.freq('VFOA') };
  const b = { ...(await radio.mode('VFOB')), freq: await radio.freq('VFOB') };
  const vfo = await radio.vfo();
  const split = await radio.split();
  const ptt = await radio.ptt();
  return {
    freqA: a.freq,
    freqB: b.freq,
    modeA: a.mode,
    passbandA: a.passband,
    modeB: b.mode,
    passbandB: b.passband,
    vfo,
    split: split.on,
    // With split off the TX VFO follows the RX VFO; what matters is split itself.
    txVfo: split.on ? split.txVfo : '-',
    ptt,
  };
}

// ---- port recorder -------------------------------------------------------------------------------------

export interface PortEvent {
  at: number;
  kind: 'open' | 'close' | 'data' | 'frame';
  frameKind?: string;
  request?: string;
  reply?: string;
}

/** Printable ASCII as text, anything else as hex. */
export function show(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('latin1');
  if (/^[\x20-\x7e\r\n]*$/.test(text)) return text;
  return Buffer.from(bytes).toString('hex').replace(/(..)/g, '$1 ').trim();
}

export interface FirstReply {
  /** The first bytes the client sent after it started. */
  dataAt: number;
  /** The first frame that got a reply. */
  frameAt: number;
  request: string;
  reply: string;
  /** frameAt − dataAt: how long the client's first command waited for its answer (in the gateway). */
  waitMs: number;
}

/**
 * Everything that happens on one port: opens and closes as the gateway saw them, bytes in, frames out.
 * A network server's watch is attached to each of its connections as it comes (one session each).
 */
export class PortWatch {
  readonly events: PortEvent[] = [];

  constructor(session?: EventEmitter & { port: unknown }) {
    if (session) this.attach(session);
  }

  attach(session: EventEmitter & { port: unknown }): void {
    const port = session.port as EventEmitter;
    // Prepended: the byte's arrival is stamped before the gateway handles it (and maybe answers it).
    port.prependListener('data', () => this.events.push({ at: now(), kind: 'data' }));
    port.prependListener('client', (open: boolean) =>
      this.events.push({ at: now(), kind: open ? 'open' : 'close' }),
    );
    session.on('frame', (e: { kind: string; request: Uint8Array; reply: Uint8Array }) =>
      this.events.push({
        at: now(),
        kind: 'frame',
        frameKind: e.kind,
        request: show(e.request),
        reply: show(e.reply),
      }),
    );
  }

  firstReplyAfter(since: number): FirstReply | null {
    const data = this.events.find((e) => e.at >= since && e.kind === 'data');
    const frame = this.events.find((e) => e.at >= since && e.kind === 'frame' && (e.reply ?? '').length > 0);
    if (!data || !frame) return null;
    return {
      dataAt: data.at,
      frameAt: frame.at,
      request: frame.request ?? '',
      reply: frame.reply ?? '',
      waitMs: frame.at - data.at,
    };
  }

  /** Frames answered between two times (for evidence in failure messages). */
  framesBetween(from: number, to: number): PortEvent[] {
    return this.events.filter((e) => e.kind === 'frame' && e.at >= from && e.at <= to);
  }

  closedSince(since: number): boolean {
    return this.events.some((e) => e.at >= since && e.kind === 'close');
  }
}

// ---- benches and the shack -----------------------------------------------------------------------------

export interface GatewayWrite {
  at: number;
  port: string;
  field: string;
  value: string;
  ok: boolean;
}

export interface GatewayRead {
  startedAt: number;
  endedAt: number;
  ok: boolean;
}

/** One radio: a rigctld dummy, maybe a relay in front of it, a backend in the gateway and its ports. */
export interface Bench {
  name: string;
  rigctld: Rigctld;
  relay: DelayRelay | null;
  delayMs: number;
  radio: RadioSide;
  /** Writes the gateway reports having sent to this radio ('write' events of its SharedRig). */
  writes: GatewayWrite[];
  /** Reads of the radio the gateway reports ('read' events of its SharedRig). */
  reads: GatewayRead[];
}

export interface BenchSpec {
  name: string;
  /** null: the gateway talks to rigctld directly; a number: through a DelayRelay holding answers that long. */
  delayMs: number | null;
  /** `extra`: more keys of the port (e.g. `transport: tcp`, `tcp: 127.0.0.1:0` for CAT over TCP). */
  ports: { name: string; rig: string; extra?: Record<string, unknown> }[];
  backendExtra?: Record<string, unknown>;
  /** Network doors on this bench's backend, listening on a free loopback port. */
  servers?: { name: string; type: 'rigctld' | 'flrig' }[];
}

export class Shack {
  readonly benches = new Map<string, Bench>();
  readonly watches = new Map<string, PortWatch>();
  private harness!: GatewayHarness;

  get gateway(): GatewayHarness {
    return this.harness;
  }

  static async start(specs: BenchSpec[]): Promise<Shack> {
    const shack = new Shack();
    const backends: Record<string, { type: string; address: string; [key: string]: unknown }> = {};
    const ports: HarnessPort[] = [];
    const servers: Record<string, Record<string, unknown>> = {};
    await Promise.all(
      specs.map(async (spec) => {
        const rigctld = await Rigctld.start();
        const relay = spec.delayMs === null ? null : await DelayRelay.start(rigctld.port, spec.delayMs);
        shack.benches.set(spec.name, {
          name: spec.name,
          rigctld,
          relay,
          delayMs: spec.delayMs ?? 0,
          radio: rigctldSide(rigctld.port),
          writes: [],
          reads: [],
        });
        backends[spec.name] = {
          type: 'rigctld',
          address: `127.0.0.1:${relay ? relay.port : rigctld.port}`,
          ...spec.backendExtra,
        };
      }),
    );
    for (const spec of specs) {
      for (const p of spec.ports)
        ports.push({ name: p.name, rig: p.rig, backend: spec.name, extra: p.extra });
      for (const server of spec.servers ?? [])
        servers[server.name] = { type: server.type, listen: '127.0.0.1:0', backend: spec.name };
    }
    shack.harness = await GatewayHarness.start(backends, ports, servers);
    for (const bench of shack.benches.values()) {
      const rig = shack.harness.rig(bench.name) as unknown as EventEmitter;
      rig.on('write', (e: { port: string; value: { field: string }; ok: boolean }) =>
        bench.writes.push({
          at: now(),
          port: e.port,
          field: e.value.field,
          value: JSON.stringify(e.value),
          ok: e.ok,
        }),
      );
      rig.on('read', (e: { ok: boolean; ms: number }) => {
        const endedAt = now();
        bench.reads.push({ startedAt: endedAt - e.ms, endedAt, ok: e.ok });
      });
    }
    for (const p of ports) shack.watches.set(p.name, new PortWatch(shack.harness.session(p.name)));
    for (const door of shack.harness.gateway.servers) {
      const watch = new PortWatch();
      shack.watches.set(door.config.name, watch);
      // Attached as the door accepts the connection, before its open is told (next turn) or a byte read.
      door.on('client', (client, connected) => connected && watch.attach(client.session));
    }
    // The day starts with the gateway up and every radio read once, as a user finds it after start-up.
    await shack.ready(20_000);
    return shack;
  }

  /** Every backend connected and its radio read at least once. */
  async ready(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const name of this.benches.keys()) {
      const rig = this.harness.rig(name) as unknown as {
        backend: { connected: boolean };
        radioKnown?: boolean;
      };
      while (!rig.backend.connected || rig.radioKnown === false) {
        if (Date.now() > deadline)
          throw new Error(`backend ${name} not connected and read within ${timeoutMs} ms`);
        await sleep(20);
      }
    }
  }

  bench(name: string): Bench {
    const bench = this.benches.get(name);
    if (!bench) throw new Error(`no bench ${name}`);
    return bench;
  }

  watch(port: string): PortWatch {
    const watch = this.watches.get(port);
    if (!watch) throw new Error(`no port ${port}`);
    return watch;
  }

  link(port: string): string {
    const link = this.harness.links[port];
    if (!link) throw new Error(`no port ${port}`);
    return link;
  }

  /**
   * Where a program opens a port or door: a pty's link, or `127.0.0.1:<port>` of a network server or
   * of a port's CAT over TCP (as Hamlib takes it for `-r`).
   */
  address(name: string): string {
    const door = this.harness.gateway.servers.find((s) => s.config.name === name);
    if (door) return `127.0.0.1:${door.port}`;
    return this.harness.address(name);
  }

  backendConnected(bench: string): boolean {
    return this.harness.rig(bench).backend.connected;
  }

  async stop(): Promise<void> {
    await this.harness?.stop();
    await Promise.all(
      [...this.benches.values()].map(async (b) => {
        await b.relay?.close();
        await b.rigctld.kill();
      }),
    );
  }
}

/**
 * What reached the radio since `since`: the radio-changing lines on the relay's wire where there is a
 * relay, and the writes the gateway itself reports. Either is a violation for a client that only reads.
 */
export function writesSince(bench: Bench, since: number): string[] {
  const wire = (bench.relay?.writesSince(since) ?? []).map(
    (l: RelayedLine) => `wire +${Math.round(l.at - since)}ms: ${l.line}`,
  );
  const reported = bench.writes
    .filter((w) => w.at >= since)
    .map((w) => `gateway write +${Math.round(w.at - since)}ms from ${w.port}: ${w.value} ok=${w.ok}`);
  return [...wire, ...reported];
}

/** Whether a rigctld line reads the radio's frequency or VFO state. */
export function isRadioRead(line: string): boolean {
  return !isRadioWrite(line) && /^\+?(?:f|v|m|s|\\get_vfo_info|\\get_freq|\\get_vfo|\\get_mode)\b/.test(line);
}

/**
 * Evidence that the first reply was built from a read of the radio started after `since`: on a relay,
 * a read request that left for rigctld at or after `since` and early enough for its answer (held
 * delayMs) to be back before the reply; directly, a successful read the gateway reports that started
 * at or after `since` and ended before the reply. Returns null when there is such a read, else why not.
 */
export function staleFirstReply(bench: Bench, since: number, first: FirstReply): string | null {
  if (bench.relay) {
    const fresh = bench.relay.sent.find(
      (l) => l.at >= since && isRadioRead(l.line) && l.at + bench.delayMs <= first.frameAt + 2,
    );
    if (fresh) return null;
    const next = bench.relay.sent.find((l) => l.at >= since && isRadioRead(l.line));
    return `first reply ${JSON.stringify(first.reply)} to ${JSON.stringify(first.request)} at +${Math.round(first.frameAt - since)} ms; the first read sent to the radio after the open left at ${next ? `+${Math.round(next.at - since)} ms (${next.line}), answer back no earlier than +${Math.round(next.at + bench.delayMs - since)} ms` : 'never'}`;
  }
  if (bench.reads.length === 0) return null; // the gateway reports no reads at all: nothing to judge by
  const fresh = bench.reads.find((r) => r.ok && r.startedAt >= since && r.endedAt <= first.frameAt + 1);
  if (fresh) return null;
  const next = bench.reads.find((r) => r.startedAt >= since);
  return `first reply ${JSON.stringify(first.reply)} to ${JSON.stringify(first.request)} at +${Math.round(first.frameAt - since)} ms; the first read of the radio started after the open ${next ? `started +${Math.round(next.startedAt - since)} ms, ended +${Math.round(next.endedAt - since)} ms` : 'never came'}`;
}

/**
 * Whether a first reply later than `boundMs` is the radio's doing, not the gateway's: the first read of
 * the radio after the open was asked promptly (by the client's first bytes + 50 ms) but came back only
 * after the bound, so the hold rightly gave up (never answering from before the open) and the client's
 * retry got the answer. On a loaded machine a 30 ms radio can take that long. Returns why, or null when
 * the delay was the gateway's own.
 */
export function radioSlowerThanBound(
  bench: Bench,
  startedAt: number,
  first: FirstReply,
  boundMs: number,
): string | null {
  const read = bench.reads.find((r) => r.startedAt >= startedAt);
  if (!read) return null;
  const askedPromptly = read.startedAt <= first.dataAt + 50;
  const cameBackLate = read.endedAt > first.dataAt + boundMs;
  if (!askedPromptly || !cameBackLate) return null;
  return `the first read after the open took ${Math.round(read.endedAt - read.startedAt)} ms`;
}

/** Soft-asserts that the first reply after `startedAt` came from a read of the radio started after it. */
export function expectFreshFirstReply(
  expect: ExpectStatic,
  bench: Bench,
  what: string,
  startedAt: number,
  first: FirstReply,
): void {
  const stale = staleFirstReply(bench, startedAt, first);
  expect.soft(stale, `${what}: first reply not from a read started after the open: ${stale}`).toBeNull();
}

/** Puts the dummy radio in a known state, straight at rigctld: both VFOs in the same mode. */
export async function setRadio(
  bench: Bench,
  state: { freqA: number; freqB: number; mode: string; passband: number },
): Promise<void> {
  const port = bench.rigctld.port;
  await rigctlCmd(port, 'T 0', 'S 0 VFOA', 'V VFOA', `F ${state.freqA}`);
  await setModeByHand(bench, state.mode, state.passband);
  await bench.radio.setFreqB(state.freqB);
}

/**
 * Puts the radio back to a state a step expected, after the step found it moved (so one violation
 * does not cascade through the rest of a sequence). VFO A selected, as every sequence here runs.
 */
export async function restoreRadio(bench: Bench, state: RadioState): Promise<void> {
  const port = bench.rigctld.port;
  await rigctlCmd(port, 'T 0', 'S 0 VFOA', 'V VFOA', `F ${state.freqA}`);
  await rigctlReplies(
    port,
    '\\set_vfo_opt 1',
    `M VFOA ${state.modeA} ${state.passbandA}`,
    `M VFOB ${state.modeB} ${state.passbandB}`,
    `F VFOB ${state.freqB}`,
  );
}

/**
 * After a program left: the radio must be as expected and nothing may have reached it since `since`.
 * Failures name what was found; a moved radio is put back so the sequence goes on from the expected state.
 */
export async function checkRadioUntouched(
  expect: ExpectStatic,
  bench: Bench,
  step: string,
  since: number,
  expected: RadioState,
): Promise<void> {
  const found = await snapshot(bench.radio);
  expect.soft(found, `${step}: the radio after the program left: ${JSON.stringify(found)}`).toEqual(expected);
  const writes = writesSince(bench, since);
  expect.soft(writes, `${step}: what reached the radio: ${JSON.stringify(writes)}`).toEqual([]);
  if (JSON.stringify(found) !== JSON.stringify(expected)) await restoreRadio(bench, expected);
}

/**
 * The mode knob at the radio, on both VFOs (the FT-817 family's Hamlib reads VFO B to answer `m`, so
 * a mode on A alone would read back as B's).
 */
export async function setModeByHand(bench: Bench, mode: string, passband: number): Promise<void> {
  const replies = await rigctlReplies(
    bench.rigctld.port,
    '\\set_vfo_opt 1',
    `M VFOA ${mode} ${passband}`,
    `M VFOB ${mode} ${passband}`,
  );
  for (const reply of replies.slice(1))
    if (reply.code !== 0) throw new Error(`rigctld refused ${reply.command}: RPRT ${reply.code}`);
}

// ---- the table of first-reply waits -------------------------------------------------------------------

export interface Timing {
  model: string;
  path: string;
  step: string;
  /** In the gateway: first request bytes to first reply frame. */
  waitMs: number | null;
  /** rigctl started to its first output. */
  spawnToAnswerMs: number | null;
  boundMs: number;
}

export class TimingTable {
  readonly rows: Timing[] = [];

  add(row: Timing): void {
    this.rows.push(row);
  }

  print(title: string): void {
    const groups = new Map<string, Timing[]>();
    for (const row of this.rows) {
      const key = `${row.model}\t${row.path}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    const fmt = (v: number | null | undefined) =>
      v === null || v === undefined ? '   -' : v.toFixed(0).padStart(4);
    const lines = [
      `${title}: first reply after open (ms; in the gateway from the client's first bytes to the first reply frame; rigctl start to its first output)`,
      'model     path       n  wait med  wait max  bound  start→answer med  max',
    ];
    for (const [key, rows] of groups) {
      const [model, path] = key.split('\t');
      const waits = rows
        .map((r) => r.waitMs)
        .filter((v): v is number => v !== null)
        .sort((a, b) => a - b);
      const spawns = rows
        .map((r) => r.spawnToAnswerMs)
        .filter((v): v is number => v !== null)
        .sort((a, b) => a - b);
      const med = (v: number[]) => v[Math.floor(v.length / 2)];
      lines.push(
        `${model!.padEnd(9)} ${path!.padEnd(9)} ${String(rows.length).padStart(2)}  ${fmt(med(waits))}      ${fmt(waits.at(-1))}      ${fmt(rows[0]!.boundMs)}   ${fmt(med(spawns))}            ${fmt(spawns.at(-1))}`,
      );
    }
    console.log(lines.join('\n'));
  }
}

/** Runs `tasks` with at most `limit` at once. */
export async function pool<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
