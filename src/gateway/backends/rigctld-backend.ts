import { EventEmitter } from 'node:events';
import {
  DEFAULT_STATE,
  type Mode,
  otherVfo,
  type ReadGroup,
  type RigState,
  type Vfo,
} from '../../model/rig.js';
import {
  ALL_READ_GROUPS,
  type Backend,
  BackendError,
  type BackendEvents,
  type FrequencyRange,
  type ReadOptions,
} from './backend.js';
import {
  type ConnectionStats,
  type RequestOptions,
  RigctldConnection,
  type RigctldConnectionOptions,
} from './rigctld-connection.js';
import {
  CHK_VFO_LINE,
  type CommandName,
  type DumpState,
  encodeCommand,
  parseChkVfo,
  parseDumpState,
  parseGetVfo,
  parseLevel,
  parseModeName,
  parsePtt,
  parseRigInfo,
  parseSplitVfo,
  parseVfoInfo,
  parseVfoName,
  TARGETABLE_FREQ,
  TARGETABLE_MODE,
  targetableVfo,
  type VfoInfo,
} from './rigctld-protocol.js';
import { checkFreq, checkLevel, checkMode, checkPassband, checkVfo } from './validate.js';

/** The slice of a pino logger the backend uses. */
export interface BackendLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface RigctldBackendOptions extends Omit<RigctldConnectionOptions, 'handshake'> {
  logger?: BackendLogger;
  /**
   * Put a non-VFO-mode rigctld into VFO mode for this connection only (`\set_vfo_opt 1`), so that
   * VFO B can be written without selecting it. Default true. See handshake() for the evidence.
   */
  promoteVfoMode?: boolean;
  /**
   * How often (ms) read() asks for the VFO the radio is not receiving on when the rig cannot address a
   * VFO directly (`targetable_vfo` lacks FREQ or MODE): Hamlib then reads it by switching VFOs and
   * back. Between those reads the last known value is reported. Default 5000; 0 reads it every time.
   */
  untargetableVfoReadMs?: number;
}

/** What the handshake learned about the server; null until the first connection. */
export interface RigctldInfo {
  /** rigctld answers in VFO mode on this connection (started with `--vfo`, or promoted). */
  vfoMode: boolean;
  /** VFO mode came from `\set_vfo_opt 1` rather than rigctld's command line. */
  promoted: boolean;
  rigModel: number;
  /** Hamlib `targetable_vfo` mask; null when dump_state did not say (pre-4.x servers). */
  targetableVfo: number | null;
  /** The rig reads and writes either VFO's frequency and mode without switching VFOs. */
  targetable: boolean;
  hasGetVfo: boolean | null;
  pttType: number | null;
  version: string | null;
  /** RX and TX ranges of `\dump_state`, merged; null when it gave none readable. */
  ranges: ReadonlyArray<FrequencyRange> | null;
}

export interface RigctldStats extends ConnectionStats {
  /** Duration of the last successful read() in ms. */
  lastReadMs: number | null;
}

/**
 * RPRT codes meaning rigctld could not talk to the radio, rather than that the radio lacks the reading
 * asked for. Any of them on any read fails the whole read().
 */
type OptionalReads = [
  Promise<{ split: boolean; txVfo: string }> | null,
  Promise<boolean> | null,
  Promise<number> | null,
  Promise<number> | null,
];
/** What one read asks: the parts, and `sent(parts)` reporting a request that carries them leaving. */
interface ReadPlan {
  groups: ReadonlySet<ReadGroup>;
  urgent: boolean;
  sent: (carried: readonly ReadGroup[]) => (atMs: number) => void;
}
type Settled<T> = PromiseSettledResult<T> | null;
type OptionalResults = [
  Settled<{ split: boolean; txVfo: string }>,
  Settled<boolean>,
  Settled<number>,
  Settled<number>,
];

const RADIO_UNREADABLE = new Set([-5, -6, -8, -13, -14, -20]);

/** Hamlib's model number of `rigctl -m 2` / `rigctld -m 2`, a rigctld chained to another rigctld. */
const NETRIGCTL_MODEL = 2;

/**
 * Backend over Hamlib's rigctld (DESIGN.md "backends/"): one persistent connection, extended answers
 * (`+`), a FIFO of requests (rigctld-connection.ts), reconnect with backoff.
 *
 * Command choices, each checked against rigctld 4.5.4 `-m 1 -P RIG` and `--vfo` (see
 * test/backends/rigctld-backend*.test.ts, which assert `v` is unchanged after every VFO B access):
 * - VFO B is read with `\get_vfo_info VFOB` (frequency, mode and width in one answer, the same in both
 *   modes, since the command takes its VFO as an ordinary argument). In Hamlib it is rig_get_freq and
 *   rig_get_mode on that VFO: direct on rigs with targetable VFOs, a switch-read-switch-back inside
 *   the one command otherwise. `\get_rig_info` was rejected: in 4.5.4 it hard-codes `RX=1` on VFO A
 *   and serves VFO B from cache on untargetable rigs. `i`/`x` (split TX frequency/mode) were rejected:
 *   the dummy keeps them apart from VFO B (`I 7100000` with split on VFOB left `\get_vfo_info VFOB` at
 *   its old frequency), so what they read is rig-specific.
 * - VFO B is written with a VFO-mode `F VFOB hz` / `M VFOB mode pb`. A rigctld started without
 *   `--vfo` is switched into VFO mode for our connection only by `\set_vfo_opt 1` (probed: it answers
 *   RPRT -11 on the dummy yet takes effect, `\chk_vfo` then answers 1 on that connection while a second
 *   connection still gets 0 and plain `f` works there). Without VFO mode, a write to the VFO the radio
 *   is not on selects it, writes and selects back (`V`, `F`, `V`) — the only way left.
 */
export class RigctldBackend extends EventEmitter<BackendEvents> implements Backend {
  readonly type = 'rigctld' as const;
  readonly address: string;
  private readonly link: RigctldConnection;
  private serverInfo: RigctldInfo | null = null;
  /** close() was called: the connection's end is ours, not a fault worth a warning. */
  private closing = false;
  /** Last values read or written, for fields a read could not get this time. */
  private last: RigState = { ...DEFAULT_STATE, strengthDb: -54 };
  private otherVfoReadAt = Number.NEGATIVE_INFINITY;
  private lastReadMs: number | null = null;
  private readonly promote: boolean;
  private readonly untargetableVfoReadMs: number;
  /** This server refused `v` as a command it lacks (its rig has no get_vfo). */
  private vfoUnreadable = false;
  /** Whether this server answers `\\get_rig_info`; null until asked. */
  private rigInfoAnswered: boolean | null = null;

  constructor(options: RigctldBackendOptions) {
    super();
    this.promote = options.promoteVfoMode ?? true;
    this.untargetableVfoReadMs = options.untargetableVfoReadMs ?? 5000;
    this.link = new RigctldConnection({ ...options, handshake: () => this.handshake() });
    this.address = this.link.address;
    const logger = options.logger;
    this.link.on('connected', () => {
      logger?.info({ address: this.address, ...this.serverInfo }, 'rigctld connected');
      this.emit('connected');
    });
    this.link.on('disconnected', (err: Error) => {
      if (!this.closing)
        logger?.warn({ address: this.address, err: err.message }, 'rigctld connection lost; reconnecting');
      this.emit('disconnected', err);
    });
  }

  get connected(): boolean {
    return this.link.connected;
  }

  /** What the last handshake learned; null before the first connection. */
  get info(): Readonly<RigctldInfo> | null {
    return this.serverInfo;
  }

  /** What the last handshake's `\dump_state` said the radio covers (Backend.frequencyRanges). */
  frequencyRanges(): ReadonlyArray<FrequencyRange> | null {
    return this.serverInfo?.ranges ?? null;
  }

  stats(): RigctldStats {
    return { ...this.link.stats(), lastReadMs: this.lastReadMs };
  }

  connect(): Promise<void> {
    return this.link.connect();
  }

  close(): Promise<void> {
    this.closing = true;
    return this.link.close();
  }

  /**
   * Reads the parts asked for (all by default) with as few requests as rigctld allows, queued at once
   * (the link sends them back to back): `v` for the RX VFO; `\\get_rig_info` when VFO A, VFO B and
   * split are all asked on a rig with targetable VFOs (one request, and no more CAT than three), else
   * `\\get_vfo_info` per VFO and `s`; `t`, `l RFPOWER`, `l STRENGTH`. A server without
   * `\\get_rig_info` (before Hamlib 4.4) gets the per-VFO form from then on. PTT, split, RF power and
   * S-meter are optional: a rig that cannot report them (`t` is RPRT -11 without a PTT type, probed)
   * keeps its last known value instead of failing the read. A read rigctld could not get from the
   * radio (RPRT -5 and the like, RADIO_UNREADABLE) fails the whole read. On a rig whose VFOs are not
   * targetable, the VFO it is not receiving on is read at most every untargetableVfoReadMs, because
   * Hamlib reads it by switching the radio to it and back (rig.c rig_get_freq, 4.5.4).
   */
  async read(options: ReadOptions = {}): Promise<RigState> {
    const groups = options.groups ?? ALL_READ_GROUPS;
    const started = performance.now();
    const plan: ReadPlan = {
      groups,
      urgent: options.urgent === true,
      sent: (carried) => (at) => options.onSent?.(at, carried),
    };
    if (groups.size === 1 && groups.has('vfo')) {
      // Alone, the RX VFO goes ahead of every request not yet sent (an open completing a read).
      const vfo = await this.readRxVfo({ first: plan.urgent, onWrite: plan.sent(['vfo']) });
      this.last = { ...this.last, vfo };
      return { ...this.last };
    }
    const direct = this.serverInfo?.targetable === true || this.untargetableVfoReadMs <= 0;
    // One request for all three, but it reads them all from the radio: only when all three are asked.
    const together = groups.has('vfoA') && groups.has('vfoB') && groups.has('split');
    if (direct && together && this.rigInfoAnswered !== false) {
      try {
        const state = await this.readWithRigInfo(plan, started);
        this.rigInfoAnswered = true;
        return state;
      } catch (err) {
        const code = (err as BackendError).code;
        // Refused as a command (not a radio that cannot be read): this server has no \get_rig_info.
        if (this.rigInfoAnswered || code === undefined || RADIO_UNREADABLE.has(code)) throw err;
        this.rigInfoAnswered = false;
      }
    }
    return this.readPerVfo(direct, plan, started);
  }

  private async readWithRigInfo(plan: ReadPlan, started: number): Promise<RigState> {
    const { urgent, groups } = plan;
    const rx = groups.has('vfo') ? this.readRxVfo({ urgent, onWrite: plan.sent(['vfo']) }) : null;
    const info = this.exec('get_rig_info', [], {
      urgent,
      onWrite: plan.sent(['vfoA', 'vfoB', 'split']),
    }).then(parseRigInfo);
    const optional = this.optionalReads(false, plan);
    const settled = Promise.allSettled([rx, info, ...optional]);
    try {
      const vfo = rx ? await rx : this.last.vfo;
      const both = await info;
      const [, ptt, rfPower, strength] = await this.settleOptional(optional);
      const state: RigState = { ...this.last, vfo };
      this.applyVfo(state, 'VFOA', both.a);
      this.applyVfo(state, 'VFOB', both.b);
      state.split = both.split;
      state.txVfo = both.txVfo ?? (both.split ? otherVfo(vfo) : vfo);
      return this.finishRead(state, ptt, rfPower, strength, started);
    } finally {
      await settled; // every request answered or failed: no unhandled rejection, no overlap with the next read
    }
  }

  private async readPerVfo(direct: boolean, plan: ReadPlan, started: number): Promise<RigState> {
    const { urgent, groups } = plan;
    const infoOf = (vfo: Vfo): Promise<VfoInfo> =>
      this.exec('get_vfo_info', [vfo], {
        urgent,
        onWrite: plan.sent([vfo === 'VFOA' ? 'vfoA' : 'vfoB']),
      }).then(parseVfoInfo);
    const wants = (vfo: Vfo) => groups.has(vfo === 'VFOA' ? 'vfoA' : 'vfoB');
    // Without targetable VFOs, which VFO is the other one (read seldom) must be known first.
    const rx = groups.has('vfo') || !direct ? this.readRxVfo({ urgent, onWrite: plan.sent(['vfo']) }) : null;
    const early = direct
      ? { VFOA: wants('VFOA') ? infoOf('VFOA') : null, VFOB: wants('VFOB') ? infoOf('VFOB') : null }
      : null;
    const optional = this.optionalReads(groups.has('split'), plan);
    const settled = Promise.allSettled([rx, ...optional, early?.VFOA, early?.VFOB]);
    try {
      const vfo = rx ? await rx : this.last.vfo;
      const other = otherVfo(vfo);
      const due = performance.now() - this.otherVfoReadAt >= this.untargetableVfoReadMs;
      const rxInfo = early ? early[vfo] : wants(vfo) ? infoOf(vfo) : null;
      const otherInfo = early ? early[other] : due && wants(other) ? infoOf(other) : null;
      const [mine, theirs] = await Promise.all([rxInfo, otherInfo]);
      if (theirs && !early) this.otherVfoReadAt = performance.now();
      const [split, ptt, rfPower, strength] = await this.settleOptional(optional);
      const state: RigState = { ...this.last, vfo };
      this.applyVfo(state, vfo, mine);
      this.applyVfo(state, other, theirs);
      if (split?.status === 'fulfilled') {
        state.split = split.value.split;
        state.txVfo = parseVfoName(split.value.txVfo) ?? (state.split ? other : vfo);
      }
      return this.finishRead(state, ptt, rfPower, strength, started);
    } finally {
      await settled;
    }
  }

  /** `s`, `t` and the two meters, each when asked, in that order; absent ones are null. */
  private optionalReads(withSplit: boolean, plan: ReadPlan): OptionalReads {
    const { urgent, groups } = plan;
    const ask = (carried: ReadGroup) => ({ urgent, onWrite: plan.sent([carried]) });
    return [
      withSplit ? this.exec('get_split_vfo', [], ask('split')).then(parseSplitVfo) : null,
      groups.has('ptt') ? this.exec('get_ptt', [], ask('ptt')).then(parsePtt) : null,
      groups.has('rfPower') ? this.exec('get_level', ['RFPOWER'], ask('rfPower')).then(parseLevel) : null,
      groups.has('strength') ? this.exec('get_level', ['STRENGTH'], ask('strength')).then(parseLevel) : null,
    ];
  }

  private async settleOptional(reads: OptionalReads): Promise<OptionalResults> {
    const settle = <T>(read: Promise<T> | null) =>
      read === null ? Promise.resolve(null) : Promise.allSettled([read]).then(([result]) => result!);
    const results = await Promise.all([
      settle(reads[0]),
      settle(reads[1]),
      settle(reads[2]),
      settle(reads[3]),
    ]);
    for (const result of results) {
      // "Cannot report this" (RPRT -11, -4, …) is tolerated; a lost connection is not (it failed the
      // VFO reads above too), nor is a radio rigctld could not talk to (RADIO_UNREADABLE): keeping
      // the last PTT then would show a radio that may be transmitting as a fresh "receiving".
      if (result?.status === 'rejected') {
        const code = (result.reason as BackendError).code;
        if (code === undefined || RADIO_UNREADABLE.has(code)) throw result.reason;
      }
    }
    return results;
  }

  /**
   * The RX VFO, by `v`. A rig without get_vfo cannot say (Hamlib's IC-7300: `has_get_vfo=0` in
   * `\\dump_state`, and `v` answers RPRT -11): the VFO last selected through us stands (VFO A after a
   * connect), reported as read at once, and `v` is not asked again.
   */
  private readRxVfo(options: Pick<RequestOptions, 'urgent' | 'first' | 'onWrite'>): Promise<Vfo> {
    if (this.serverInfo?.hasGetVfo === false || this.vfoUnreadable) {
      options.onWrite?.(performance.now());
      return Promise.resolve(this.last.vfo);
    }
    return this.exec('get_vfo', [], options).then(
      (answer) => this.rxVfo(parseGetVfo(answer)),
      (err: BackendError) => {
        if (err.code !== -11 && err.code !== -4) throw err;
        this.vfoUnreadable = true;
        return this.last.vfo;
      },
    );
  }

  private rxVfo(rxName: string): Vfo {
    const vfo = parseVfoName(rxName);
    if (vfo === null)
      throw new BackendError(`rigctld reports RX VFO '${rxName}', which has no place in a two-VFO model`);
    return vfo;
  }

  private finishRead(
    state: RigState,
    ptt: PromiseSettledResult<boolean> | null,
    rfPower: PromiseSettledResult<number> | null,
    strength: PromiseSettledResult<number> | null,
    started: number,
  ): RigState {
    if (ptt?.status === 'fulfilled') state.ptt = ptt.value;
    if (rfPower?.status === 'fulfilled') state.rfPower = Math.min(1, Math.max(0, rfPower.value));
    if (strength?.status === 'fulfilled') state.strengthDb = strength.value;
    this.last = state;
    this.lastReadMs = performance.now() - started;
    return { ...state };
  }

  async setFreq(vfo: Vfo, hz: number): Promise<void> {
    const target = checkVfo(vfo);
    await this.onVfo(target, 'set_freq', [checkFreq(hz)]);
    if (target === 'VFOA') this.last.freqA = hz;
    else this.last.freqB = hz;
  }

  async setMode(vfo: Vfo, mode: Mode, passbandHz: number): Promise<void> {
    const target = checkVfo(vfo);
    await this.onVfo(target, 'set_mode', [checkMode(mode), checkPassband(passbandHz)]);
    // Remembered for untargetable rigs, whose other VFO is read seldom; 0 (rig default) is not a width.
    if (target === 'VFOA') {
      this.last.mode = mode;
      if (passbandHz > 0) this.last.passband = passbandHz;
    } else {
      this.last.modeB = mode;
      if (passbandHz > 0) this.last.passbandB = passbandHz;
    }
  }

  async selectVfo(vfo: Vfo): Promise<void> {
    await this.exec('set_vfo', [checkVfo(vfo)]);
    this.last.vfo = vfo;
  }

  /**
   * `S 1 <tx>` / `S 0 <rx>`. Hamlib 4.5.4's rig_set_split_vfo ignores the RX VFO it is given and
   * derives it from the TX VFO (split off with TX VFOA → RX VFOA), and on rigs without targetable VFOs
   * it selects that RX VFO. So split off names the VFO the radio receives on, asked with `v` first,
   * or turning split off would move a radio listening on VFO B to VFO A.
   */
  async setSplit(on: boolean, txVfo: Vfo): Promise<void> {
    const tx = checkVfo(txVfo);
    if (on) {
      await this.exec('set_split_vfo', [1, tx]);
      return;
    }
    await this.exec('set_split_vfo', [0, await this.readRxVfo({})]);
  }

  /** An unkey goes ahead of every request not yet on the wire (a poll never delays it). */
  async setPtt(on: boolean): Promise<void> {
    await this.exec('set_ptt', [on ? 1 : 0], { urgent: !on });
  }

  async setRfPower(level: number): Promise<void> {
    await this.exec('set_level', ['RFPOWER', checkLevel(level)]);
  }

  // ---- internals ----

  /** One command on the rig's current VFO (VFO mode: `currVFO`), or on `vfo` where given (VFO mode only). */
  private exec(
    name: CommandName,
    args: readonly (string | number)[],
    options: { vfo?: Vfo } & Pick<RequestOptions, 'urgent' | 'first' | 'onWrite'> = {},
  ): Promise<string[]> {
    const { vfo, ...request } = options;
    let line: string;
    try {
      line = encodeCommand(name, args, { vfoMode: this.serverInfo?.vfoMode ?? false, vfo });
    } catch (err) {
      return Promise.reject(err);
    }
    return this.link.request(line, name, request);
  }

  /** A write aimed at one VFO without moving the radio off the VFO it receives on (see class comment). */
  private async onVfo(
    vfo: Vfo,
    name: 'set_freq' | 'set_mode',
    args: readonly (string | number)[],
  ): Promise<void> {
    if (this.serverInfo?.vfoMode) {
      await this.exec(name, args, { vfo });
      return;
    }
    const rx = await this.readRxVfo({});
    if (rx === vfo) {
      await this.exec(name, args);
      return;
    }
    // One step at a time: were `V` refused, a pipelined write would land on the wrong VFO.
    await this.exec('set_vfo', [vfo]);
    try {
      await this.exec(name, args);
    } finally {
      await this.exec('set_vfo', [rx]);
    }
  }

  /** Fills one VFO's fields from `\get_vfo_info`; an unknown mode keeps the last known one. */
  private applyVfo(state: RigState, vfo: Vfo, info: VfoInfo | null): void {
    if (info === null) return;
    const mode = parseModeName(info.mode);
    if (vfo === 'VFOA') {
      state.freqA = info.freq;
      if (mode) Object.assign(state, { mode, passband: info.width });
    } else {
      state.freqB = info.freq;
      if (mode) Object.assign(state, { modeB: mode, passbandB: info.width });
    }
  }

  /**
   * After each TCP connect: `\chk_vfo` (plain, since `+\chk_vfo` ends without RPRT) and `+\dump_state`
   * once, as Hamlib's own NET client does (research/hamlib.md §9); then, for a non-VFO-mode server,
   * `\set_vfo_opt 1` and a second `\chk_vfo` to confirm it took. Not for a rigctld chained to another
   * (`-m 2`): there rig->state.vfo_opt is shared with the upstream link of every client (netrigctl.c
   * 4.5.4 adds VFO arguments upstream whenever it is set), so the switch would leak to others.
   */
  private async handshake(): Promise<void> {
    const chk = this.link.request(CHK_VFO_LINE, 'line', { handshake: true });
    const dump = this.link.request(encodeCommand('dump_state', [], { vfoMode: false }), 'dump_state', {
      handshake: true,
    });
    // Awaited together: if the connection dies mid-handshake both reject, and neither goes unhandled.
    const [[chkLine], dumpLines] = await Promise.all([chk, dump]);
    let vfoMode = parseChkVfo(chkLine ?? '');
    if (vfoMode === null)
      throw new BackendError(`unexpected answer to \\chk_vfo: ${JSON.stringify(chkLine)}`);
    const state = parseDumpState(dumpLines);
    let promoted = false;
    if (!vfoMode && this.promote && state.rigModel !== NETRIGCTL_MODEL) {
      const opt = encodeCommand('set_vfo_opt', [1], { vfoMode: false });
      await this.link.request(opt, 'set_vfo_opt', { handshake: true }).catch(() => {});
      const [again] = await this.link.request(CHK_VFO_LINE, 'line', { handshake: true });
      vfoMode = parseChkVfo(again ?? '') === true;
      promoted = vfoMode;
    }
    this.serverInfo = describeServer(state, vfoMode, promoted);
    this.vfoUnreadable = false;
  }
}

function describeServer(state: DumpState, vfoMode: boolean, promoted: boolean): RigctldInfo {
  const mask = targetableVfo(state);
  const flag = (key: string): boolean | null => {
    const raw = state.params.get(key);
    return raw === undefined ? null : raw === '1';
  };
  const pttType = state.params.get('ptt_type');
  return {
    vfoMode,
    promoted,
    rigModel: state.rigModel,
    targetableVfo: mask,
    targetable:
      mask !== null && (mask & (TARGETABLE_FREQ | TARGETABLE_MODE)) === (TARGETABLE_FREQ | TARGETABLE_MODE),
    hasGetVfo: flag('has_get_vfo'),
    pttType: pttType === undefined ? null : Number(pttType),
    version: state.params.get('rigctld_version') ?? null,
    ranges: state.ranges,
  };
}
