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
  type ReadOptions,
} from './backend.js';
import { FlrigClient, type FlrigClientOptions, FlrigLinkError } from './flrig-client.js';
import { FlrigModeMap, modeFromFlrig } from './flrig-modes.js';
import { checkFreq, checkLevel, checkMode, checkPassband, checkVfo } from './validate.js';
import { XmlRpcFault, type XmlRpcValue } from './xmlrpc.js';

export interface FlrigBackendOptions extends FlrigClientOptions {
  logger?: {
    info(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
  };
  /** First reconnect delay in ms, doubled up to backoffMaxMs. Default 250. */
  backoffInitialMs?: number;
  /** Default 1000: the gateway is back within 2 s of flrig (issue: never more than 1 s between attempts). */
  backoffMaxMs?: number;
}

/** What the handshake learned. */
export interface FlrigInfo {
  version: string;
  /** The transceiver flrig drives ("IC-7300"). */
  xcvr: string;
  modes: string[];
  maxPowerW: number;
}

/**
 * The calls that read each part of the radio; a read puts those of the parts asked into one
 * `system.multicall` round trip (research/flrig.md §3.5: multicall works; get_update carries no
 * frequency, mode, split or PTT). get_vfoA/B are live reads through flrig's serial thread, so the
 * radio's own changes are seen, not flrig's cache. Split needs get_AB: the TS-2000 driver reports
 * split as FR/FT bits.
 */
const CALLS: Record<ReadGroup, readonly PollMethod[]> = {
  vfo: ['rig.get_AB'],
  vfoA: ['rig.get_vfoA', 'rig.get_modeA', 'rig.get_bwA'],
  vfoB: ['rig.get_vfoB', 'rig.get_modeB', 'rig.get_bwB'],
  split: ['rig.get_AB', 'rig.get_split'],
  ptt: ['rig.get_ptt'],
  rfPower: ['rig.get_power'],
  strength: ['rig.get_DBM'],
};
type PollMethod =
  | 'rig.get_AB'
  | 'rig.get_vfoA'
  | 'rig.get_vfoB'
  | 'rig.get_modeA'
  | 'rig.get_modeB'
  | 'rig.get_bwA'
  | 'rig.get_bwB'
  | 'rig.get_split'
  | 'rig.get_ptt'
  | 'rig.get_power'
  | 'rig.get_DBM';

/** How long a written value is trusted over a poll that contradicts it (see `written`). */
const WRITE_SHADOW_MS = 1000;

/**
 * Backend over flrig's XML-RPC (DESIGN.md "backends/"), verified against flrig 1.4.7: frequencies are
 * sent as `<double>` (anything else faults), PTT/split/power as `<i4>`, modes as flrig's own names for
 * the transceiver; a parameterless `rig.set_vfo` would tune to 0 Hz and is never sent; an unknown
 * mode name answers an empty value instead of a fault and is treated as a refusal.
 */
export class FlrigBackend extends EventEmitter<BackendEvents> implements Backend {
  readonly type = 'flrig' as const;
  readonly address: string;
  private readonly client: FlrigClient;
  private linkUp = false;
  private closed = false;
  private info: FlrigInfo | null = null;
  private modeMap = new FlrigModeMap([]);
  private last: RigState = { ...DEFAULT_STATE, strengthDb: -54 };
  private backoffMs: number;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private connecting: Promise<void> | null = null;
  private readonly warned = new Set<string>();
  /**
   * Values we wrote, trusted over a contradicting poll for a short while: flrig hands sets to its
   * serial thread and answers at once, so a poll right after `rig.set_AB B` still reads `A` (seen
   * against flrig 1.4.7). Without this a stale poll would undo our write in the cache.
   */
  private readonly written = new Map<keyof RigState, { value: RigState[keyof RigState]; until: number }>();

  constructor(private readonly options: FlrigBackendOptions) {
    super();
    this.address = `${options.host}:${options.port}`;
    this.client = new FlrigClient(options);
    this.backoffMs = options.backoffInitialMs ?? 250;
  }

  get connected(): boolean {
    return this.linkUp;
  }

  get serverInfo(): FlrigInfo | null {
    return this.info;
  }

  stats() {
    return {
      requests: this.client.requests,
      failures: this.client.failures,
      lastRoundTripMs: this.client.lastRoundTripMs,
    };
  }

  /** Resolves at the first successful handshake; keeps retrying with backoff until then (and after losses). */
  connect(): Promise<void> {
    if (this.linkUp) return Promise.resolve();
    this.connecting ??= new Promise<void>((resolve) => {
      const attempt = async () => {
        if (this.closed) return;
        try {
          await this.handshake();
          this.linkUp = true;
          this.backoffMs = this.options.backoffInitialMs ?? 250;
          this.connecting = null;
          this.options.logger?.info({ address: this.address, ...this.info }, 'flrig connected');
          this.emit('connected');
          resolve();
        } catch (err) {
          this.client.reset();
          const delay = this.backoffMs;
          this.backoffMs = Math.min(this.backoffMs * 2, this.options.backoffMaxMs ?? 1000);
          this.warnOnce(
            'connect',
            { address: this.address, err: (err as Error).message },
            'flrig not reachable; retrying',
          );
          this.reconnectTimer = setTimeout(attempt, delay);
        }
      };
      void attempt();
    });
    return this.connecting;
  }

  private async handshake(): Promise<void> {
    const version = await this.client.call('main.get_version');
    const xcvr = String(await this.client.call('rig.get_xcvr'));
    // Offline, flrig answers canned values and an empty transceiver name (research/flrig.md §3.3).
    if (!xcvr) throw new BackendError('flrig has no transceiver online');
    const modes = await this.client.call('rig.get_modes');
    const maxPower = await this.client.call('rig.get_maxpwr');
    const names = Array.isArray(modes) ? modes.map(String) : [];
    this.info = { version: String(version), xcvr, modes: names, maxPowerW: Number(maxPower) || 100 };
    this.modeMap = new FlrigModeMap(names);
    const unmapped = names.filter((n) => !modeFromFlrig(n));
    if (unmapped.length > 0) {
      this.options.logger?.info(
        { xcvr, modes: unmapped },
        'flrig modes with no Hamlib equivalent (read as the last known mode)',
      );
    }
    this.warned.clear();
    // A new flrig (or one that was restarted) holds none of what we wrote to the old one.
    this.written.clear();
  }

  private lost(err: Error): void {
    if (!this.linkUp || this.closed) return;
    this.linkUp = false;
    this.options.logger?.warn(
      { address: this.address, err: err.message },
      'flrig connection lost; reconnecting',
    );
    this.emit('disconnected', err);
    void this.connect();
  }

  private warnOnce(key: string, obj: object, msg: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.options.logger?.warn(obj, msg);
  }

  /** Every call goes through here: a broken link is noticed once and reconnected. */
  private async run<T>(what: () => Promise<T>): Promise<T> {
    if (!this.linkUp) throw new BackendError('flrig not connected');
    try {
      return await what();
    } catch (err) {
      if (err instanceof FlrigLinkError) this.lost(err);
      throw err;
    }
  }

  async read(options: ReadOptions = {}): Promise<RigState> {
    const groups = [...(options.groups ?? ALL_READ_GROUPS)];
    const calls = [...new Set(groups.flatMap((group) => CALLS[group]))];
    options.onSent?.(performance.now(), groups);
    const results = await this.run(() => this.client.multicall(calls));
    const get = (method: PollMethod): XmlRpcValue | undefined => {
      const index = calls.indexOf(method);
      if (index < 0) return undefined;
      const value = results[index];
      if (value instanceof XmlRpcFault) {
        this.warnOnce(
          method,
          { method, fault: value.faultString },
          'flrig refused a poll call; its field keeps its last value',
        );
        return undefined;
      }
      return value;
    };
    const state = { ...this.last };
    const ab = get('rig.get_AB');
    if (ab === 'A' || ab === 'B') state.vfo = ab === 'A' ? 'VFOA' : 'VFOB';
    state.freqA = this.frequency(get('rig.get_vfoA'), state.freqA);
    state.freqB = this.frequency(get('rig.get_vfoB'), state.freqB);
    state.mode = this.mode(get('rig.get_modeA'), state.mode);
    state.modeB = this.mode(get('rig.get_modeB'), state.modeB);
    state.passband = passbandOf(get('rig.get_bwA')) ?? state.passband;
    state.passbandB = passbandOf(get('rig.get_bwB')) ?? state.passbandB;
    const split = get('rig.get_split');
    if (typeof split === 'number') {
      // 0/1 on most drivers; the TS-2000 driver reports FR and FT as two bits (research/flrig.md):
      // 1 = RX A, TX B; 2 = RX B, TX A; 3 = both on B, which is not split.
      state.split = split === 1 || split === 2;
      state.txVfo = state.split ? (split === 2 ? 'VFOA' : otherVfo(state.vfo)) : state.vfo;
      if (split === 2) state.vfo = 'VFOB';
    }
    const ptt = get('rig.get_ptt');
    if (typeof ptt === 'number') state.ptt = ptt !== 0;
    const power = Number(get('rig.get_power'));
    if (Number.isFinite(power) && this.info)
      state.rfPower = Math.min(1, Math.max(0, power / this.info.maxPowerW));
    const dbm = Number(get('rig.get_DBM'));
    // S9 is -73 dBm (Hamlib STRENGTH is dB over S9).
    if (Number.isFinite(dbm) && get('rig.get_DBM') !== '') state.strengthDb = Math.round(dbm + 73);
    const now = Date.now();
    for (const [field, { value, until }] of this.written) {
      if (now > until || state[field] === value) this.written.delete(field);
      else (state as Record<keyof RigState, unknown>)[field] = value;
    }
    this.last = state;
    return { ...state };
  }

  private wrote(fields: Partial<RigState>): void {
    const until = Date.now() + WRITE_SHADOW_MS;
    for (const [field, value] of Object.entries(fields) as [keyof RigState, RigState[keyof RigState]][]) {
      this.written.set(field, { value, until });
      (this.last as Record<keyof RigState, unknown>)[field] = value;
    }
  }

  /** A malformed frequency fails the whole read: the old value must not be served as fresh. */
  private frequency(value: XmlRpcValue | undefined, previous: number): number {
    if (value === undefined) return previous;
    const hz = hzOf(value);
    if (hz !== null) return hz;
    throw new BackendError(`flrig answered a frequency that is not one: ${JSON.stringify(value)}`);
  }

  private mode(value: XmlRpcValue | undefined, previous: Mode): Mode {
    if (value === undefined) return previous;
    const name = String(value);
    const mode = modeFromFlrig(name);
    if (mode) return mode;
    this.warnOnce(
      `mode:${name}`,
      { mode: name, xcvr: this.info?.xcvr },
      `flrig mode "${name}" has no Hamlib equivalent; showing ${previous}`,
    );
    return previous;
  }

  async setFreq(vfo: Vfo, hz: number): Promise<void> {
    checkVfo(vfo);
    checkFreq(hz);
    await this.run(() =>
      this.client.call(vfo === 'VFOA' ? 'rig.set_vfoA' : 'rig.set_vfoB', [{ double: hz }]),
    );
    if (vfo === 'VFOA') this.last.freqA = hz;
    else this.last.freqB = hz;
  }

  async setMode(vfo: Vfo, mode: Mode, passbandHz: number): Promise<void> {
    checkVfo(vfo);
    checkMode(mode);
    checkPassband(passbandHz);
    const name = this.modeMap.nameFor(mode);
    if (!name) {
      throw new BackendError(
        `flrig's ${this.info?.xcvr ?? 'transceiver'} has no mode for ${mode} (its modes: ${this.info?.modes.join(' ') ?? 'unknown'})`,
      );
    }
    const result = await this.run(() =>
      this.client.call(vfo === 'VFOA' ? 'rig.set_modeA' : 'rig.set_modeB', [name]),
    );
    // An unknown name is not a fault in flrig: it answers an empty value and does nothing.
    if (result === '') throw new BackendError(`flrig did not take mode ${name}`);
    this.wrote(vfo === 'VFOA' ? { mode } : { modeB: mode });
    if (passbandHz > 0 && vfo === this.last.vfo) {
      // flrig sets the bandwidth of the VFO in use only (there is no set_bwA/B in 1.4.7).
      await this.run(() => this.client.call('rig.set_bandwidth', [{ i4: passbandHz }]));
    }
  }

  async selectVfo(vfo: Vfo): Promise<void> {
    checkVfo(vfo);
    // flrig's set_AB waits (up to 10 s) for PTT to drop; queued behind it, our own unkey would wait too.
    if (this.last.ptt) throw new BackendError('flrig does not change VFO while transmitting');
    await this.run(() => this.client.call('rig.set_AB', [vfo === 'VFOA' ? 'A' : 'B']));
    this.wrote({ vfo });
  }

  async setSplit(on: boolean, txVfo: Vfo): Promise<void> {
    checkVfo(txVfo);
    await this.run(() => this.client.call('rig.set_split', [{ i4: on ? 1 : 0 }]));
    this.wrote({ split: on });
  }

  /** An unkey goes at once on a connection of its own, ahead of whatever waits for flrig. */
  async setPtt(on: boolean): Promise<void> {
    const params = [{ i4: on ? 1 : 0 }];
    await this.run(() =>
      on ? this.client.call('rig.set_ptt', params) : this.client.urgentCall('rig.set_ptt', params),
    );
    this.wrote({ ptt: on });
  }

  async setRfPower(level: number): Promise<void> {
    checkLevel(level);
    const watts = Math.round(level * (this.info?.maxPowerW ?? 100));
    await this.run(() => this.client.call('rig.set_power', [{ i4: watts }]));
  }

  /** None of flrig 1.4.7's 96 methods lists the transceiver's bands (research/flrig.md): the profile's apply. */
  frequencyRanges(): null {
    return null;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.linkUp = false;
    this.client.close();
  }
}

/**
 * Whole Hz from flrig, or null when the value is not one. Only plain decimals (`14074000`,
 * `14074000.000000`) or numbers that round to a safe integer >= 0 are Hz: `1e300`, `1e20`,
 * `99999999999999999999999`, negatives and NaN are a malformed answer, not a huge frequency that would
 * be handed on to every client as the radio's.
 */
export function hzOf(value: XmlRpcValue): number | null {
  let hz: number;
  if (typeof value === 'number') hz = value;
  else if (typeof value === 'string' && /^\d+(\.\d*)?$/.test(value.trim())) hz = Number(value.trim());
  else return null;
  if (!Number.isFinite(hz) || hz < 0) return null;
  const whole = Math.round(hz);
  return Number.isSafeInteger(whole) ? whole : null;
}

/**
 * `rig.get_bwA`: [width, ""] on single-table rigs, [low cut, high cut] on SL/SH rigs (Hz, as strings).
 * Undefined (the field keeps its last value, as for a refused call) when there is no width or a part
 * of it is not whole Hz (hzOf).
 */
function passbandOf(value: XmlRpcValue | undefined): number | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const first = hzOf(value[0]!);
  if (first === null) return undefined;
  if (value[1] !== undefined && value[1] !== '') {
    const second = hzOf(value[1]);
    if (second === null) return undefined;
    if (second > first) return second - first;
  }
  return first > 0 ? first : undefined;
}
