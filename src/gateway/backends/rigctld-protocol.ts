import { isMode, type Mode, type Vfo } from '../../model/rig.js';
import { BackendError, type FrequencyRange } from './backend.js';

/**
 * rigctld's line protocol, pure: encoding commands, framing and parsing replies. No I/O here.
 * Facts from research/hamlib.md §9 and from probing rigctld 4.5.4 (`rigctld -m 1 [-P RIG] [--vfo]`);
 * each rule below names what it rests on.
 */

/** Hamlib's error names (`enum rig_errcode_e`, research/hamlib.md §9), for messages. */
const RIG_ERRORS = [
  'OK',
  'EINVAL',
  'ECONF',
  'ENOMEM',
  'ENIMPL',
  'ETIMEOUT',
  'EIO',
  'EINTERNAL',
  'EPROTO',
  'ERJCTED',
  'ETRUNC',
  'ENAVAIL',
  'ENTARGET',
  'BUSERROR',
  'BUSBUSY',
  'EARG',
  'EVFO',
  'EDOM',
  'EDEPRECATED',
  'ESECURITY',
  'EPOWER',
] as const;

export function rigErrorName(code: number): string {
  return RIG_ERRORS[-code] ?? `error ${code}`;
}

/**
 * The commands the backend uses: the short form sent, and whether the command takes a VFO argument
 * first when rigctld is in VFO mode (`--vfo` or `\set_vfo_opt 1`). The flag follows the ARG_NOVFO
 * marks of rigctl_parse.c's command table in 4.5.4: `v`, `V`, `\get_vfo_info`, `\dump_state`,
 * `\chk_vfo`, `\set_vfo_opt` never take one; frequency, mode, split, PTT and level commands do.
 */
const COMMANDS = {
  get_freq: { wire: 'f', vfo: true },
  set_freq: { wire: 'F', vfo: true },
  get_mode: { wire: 'm', vfo: true },
  set_mode: { wire: 'M', vfo: true },
  get_vfo: { wire: 'v', vfo: false },
  set_vfo: { wire: 'V', vfo: false },
  get_split_vfo: { wire: 's', vfo: true },
  set_split_vfo: { wire: 'S', vfo: true },
  get_ptt: { wire: 't', vfo: true },
  set_ptt: { wire: 'T', vfo: true },
  get_level: { wire: 'l', vfo: true },
  set_level: { wire: 'L', vfo: true },
  get_vfo_info: { wire: '\\get_vfo_info', vfo: false },
  get_rig_info: { wire: '\\get_rig_info', vfo: false },
  dump_state: { wire: '\\dump_state', vfo: false },
  set_vfo_opt: { wire: '\\set_vfo_opt', vfo: false },
} as const satisfies Record<string, { wire: string; vfo: boolean }>;

export type CommandName = keyof typeof COMMANDS;

/** Arguments are single tokens: rigctld splits on spaces and reads the rest of a line as more commands. */
const ARG = /^[A-Za-z0-9_.+-]+$/;

/** The VFO a VFO-mode command addresses: Hamlib's `currVFO` means "whatever the rig is on" (RIG_VFO_CURR). */
export type VfoArg = Vfo | 'currVFO' | (string & {});

export interface EncodeOptions {
  /** rigctld is in VFO mode: every command flagged `vfo` takes a VFO argument first. */
  vfoMode: boolean;
  /** The VFO for a VFO-mode command; default `currVFO`. Refused outside VFO mode. */
  vfo?: VfoArg;
}

/**
 * One command in the extended response form (`+`), so that every answer starts with a header naming the
 * command and ends with `RPRT n` (research/hamlib.md §9). The VFO argument is inserted only in VFO
 * mode and refused otherwise: probed on 4.5.4, a non-VFO-mode rigctld reads `+f VFOB` as `f` followed
 * by a second command `VFOB` and answers `get_freq:…RPRT 0` *and* `RPRT -1`, which would shift every
 * later answer onto the wrong request. For the same reason an argument with a space or newline is
 * refused (`+M USB 2400 extra` drew two answers).
 */
export function encodeCommand(
  name: CommandName,
  args: readonly (string | number)[],
  options: EncodeOptions,
): string {
  const spec = COMMANDS[name];
  const parts: string[] = [];
  if (spec.vfo && options.vfoMode) parts.push(options.vfo ?? 'currVFO');
  else if (options.vfo !== undefined) {
    throw new BackendError(`${name} takes no VFO argument outside rigctld's VFO mode`, -1);
  }
  for (const arg of args) parts.push(typeof arg === 'number' ? formatNumber(arg) : arg);
  for (const part of parts) {
    if (!ARG.test(part)) throw new BackendError(`invalid rigctld argument ${JSON.stringify(part)}`, -1);
  }
  return `+${spec.wire}${parts.length > 0 ? ` ${parts.join(' ')}` : ''}\n`;
}

/** Numbers without exponent notation (`1e-7` would not parse in rigctld's sscanf("%lf") as meant). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new BackendError(`invalid number ${value}`, -1);
  if (Number.isInteger(value)) return value.toFixed(0);
  return value.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
}

/** The plain `\chk_vfo` probe; sent without `+` because `+\chk_vfo` answers without an RPRT line. */
export const CHK_VFO_LINE = '\\chk_vfo\n';

// ---------------------------------------------------------------------------------------------------
// Framing

/** Splits a byte stream (decoded as latin1: rigctld speaks ASCII) into lines, with a length cap. */
export class LineSplitter {
  private partial = '';

  constructor(private readonly maxLineLength = 64 * 1024) {}

  /** Complete lines in the chunk (without `\n`, a trailing `\r` removed). Throws on an over-long line. */
  push(chunk: string): string[] {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    if (this.partial.length > this.maxLineLength) {
      this.partial = '';
      throw new BackendError(`rigctld line longer than ${this.maxLineLength} characters`);
    }
    return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  }

  reset(): void {
    this.partial = '';
  }
}

const RPRT = /^RPRT (-?\d+)$/;

/** The code of an `RPRT n` line, or null when the line is something else. */
export function rprtCode(line: string): number | null {
  const match = RPRT.exec(line);
  return match ? Number(match[1]) : null;
}

/** One extended answer: the command's values between its header and its RPRT line. */
export interface ExtendedReply {
  code: number;
  values: string[];
}

/**
 * Checks an extended answer (its lines up to and including `RPRT n`) against the command it answers.
 * rigctld echoes the command's long name first (`get_freq:`, `set_freq: VFOB 7074000`,
 * `get_vfo: currVFO`); a different name means answers and requests are out of step — the stream is
 * unusable and this throws a DesyncError. An answer that is only `RPRT n` is accepted (no header to
 * compare).
 */
export function checkExtendedReply(name: CommandName, lines: readonly string[]): ExtendedReply {
  const last = lines[lines.length - 1];
  const code = last === undefined ? null : rprtCode(last);
  if (code === null) throw new DesyncError(`answer to ${name} does not end with RPRT`);
  if (lines.length === 1) return { code, values: [] };
  const header = lines[0]!;
  if (header !== `${name}:` && !header.startsWith(`${name}: `)) {
    throw new DesyncError(`expected an answer to ${name}, got ${JSON.stringify(header.slice(0, 80))}`);
  }
  return { code, values: lines.slice(1, -1) };
}

/** Answers and requests are out of step; the connection must be dropped. */
export class DesyncError extends BackendError {
  constructor(message: string) {
    super(`rigctld protocol desync: ${message}`);
    this.name = 'DesyncError';
  }
}

// ---------------------------------------------------------------------------------------------------
// Values

/** `Key: value` lines of an answer by key, and the lines without a key in order. */
export function splitFields(values: readonly string[]): { fields: Map<string, string>; bare: string[] } {
  const fields = new Map<string, string>();
  const bare: string[] = [];
  for (const line of values) {
    const match = /^([A-Za-z][A-Za-z ]*): ?(.*)$/.exec(line);
    if (match) fields.set(match[1]!, match[2]!.trim());
    else bare.push(line);
  }
  return { fields, bare };
}

function malformed(name: string, values: readonly string[]): BackendError {
  return new BackendError(`malformed answer to ${name}: ${JSON.stringify(values.join(' | ').slice(0, 120))}`);
}

/**
 * Hz from `14074000` or `14074000.000000` (both seen from Hamlib: rigctld and rigctl -m 2). Anything
 * else — a sign, an exponent, text, or digits beyond a safe integer (`99999999999999999999999`) —
 * is null: a malformed answer, never a huge or negative frequency handed on as the radio's.
 */
export function parseHz(text: string | undefined): number | null {
  if (text === undefined || !/^\d+(\.\d+)?$/.test(text)) return null;
  const hz = Math.round(Number(text));
  return Number.isSafeInteger(hz) ? hz : null;
}

/**
 * A Hamlib VFO name as one of our two VFOs. DESIGN.md: a dual-receiver radio's Main ≡ VFOA and
 * Sub ≡ VFOB; rigctld 4.5.4 -m 1 answers `v` with `Sub` after `V VFOB` and `Main` after `V Main` or
 * after a VFO-mode `F VFOB …` (probed). `MainA`/`SubA` are the A VFO of each receiver, so they are
 * that receiver. `MainB`, `SubB`, `VFOC`, `MEM`, `currVFO`, `None` have no place in a two-VFO model
 * (the receive frequency is neither of the VFOs we read) and give null.
 */
export function parseVfoName(name: string | undefined): Vfo | null {
  switch (name) {
    case 'VFOA':
    case 'Main':
    case 'MainA':
      return 'VFOA';
    case 'VFOB':
    case 'Sub':
    case 'SubA':
      return 'VFOB';
    default:
      return null;
  }
}

/**
 * Hamlib mode names to ours. rigctld 4.5.4 answers `m` with `FM-D` after `M PKTFM` and `AM-D` after
 * `M PKTAM` (probed), and lists `CW-R`/`RTTY-R` in `\get_modes`; the other aliases are the same
 * naming for the remaining data and reverse modes. Null for a mode outside our model (e.g. `SAM`).
 */
const MODE_ALIASES: Readonly<Record<string, Mode>> = {
  'USB-D': 'PKTUSB',
  'LSB-D': 'PKTLSB',
  'FM-D': 'PKTFM',
  'AM-D': 'PKTAM',
  'CW-R': 'CWR',
  'RTTY-R': 'RTTYR',
};

export function parseModeName(name: string | undefined): Mode | null {
  if (name === undefined) return null;
  if (isMode(name)) return name;
  return MODE_ALIASES[name] ?? null;
}

/** `v`: `VFO: Sub` → the raw Hamlib name. */
export function parseGetVfo(values: readonly string[]): string {
  const raw = splitFields(values).fields.get('VFO');
  if (!raw) throw malformed('get_vfo', values);
  return raw;
}

export interface VfoInfo {
  freq: number;
  /** Raw Hamlib mode name; see parseModeName. */
  mode: string;
  width: number;
}

/**
 * `\get_vfo_info VFOB`: `Freq: 146000000`, `Mode: FM`, `Width: 15000`, `Split: 0`, `SatMode: 0`.
 * The width is held to the same rule as the frequency (parseHz): `1e20` or a negative width is a
 * malformed answer (Number() would have taken `1e20` as an integer).
 */
export function parseVfoInfo(values: readonly string[]): VfoInfo {
  const { fields } = splitFields(values);
  const freq = parseHz(fields.get('Freq'));
  const mode = fields.get('Mode');
  const width = parseHz(fields.get('Width'));
  if (freq === null || !mode || width === null) throw malformed('get_vfo_info', values);
  return { freq, mode, width };
}

export interface RigInfo {
  /** VFO A (Main) and VFO B (Sub), in that order on the wire. */
  a: VfoInfo;
  b: VfoInfo;
  split: boolean;
  /** The VFO marked `TX=1`; null when neither is. */
  txVfo: Vfo | null;
}

/**
 * `\get_rig_info` (Hamlib 4.4+): both VFOs and split in one request, where `\get_vfo_info` ×2 and `s`
 * take three round trips. Lines (4.5.4, dummy): `VFO=Main Freq=145000000 Mode=FM Width=15000 RX=1 TX=1`,
 * the same for `Sub`, then `Split=0 SatMode=0`, then `Rig=…`, `App=…`, a CRC and a blank line. It does
 * not say which VFO receives (rig.c marks RX=1 on VFO A whatever is selected), so `v` is still asked.
 */
export function parseRigInfo(values: readonly string[]): RigInfo {
  const vfos: { vfo: Vfo; info: VfoInfo; tx: boolean }[] = [];
  let split: boolean | null = null;
  for (const line of values) {
    const pairs = new Map<string, string>();
    for (const token of line.trim().split(/\s+/)) {
      const eq = token.indexOf('=');
      if (eq > 0) pairs.set(token.slice(0, eq), token.slice(eq + 1));
    }
    if (pairs.has('VFO')) {
      const vfo = parseVfoName(pairs.get('VFO'));
      const freq = parseHz(pairs.get('Freq'));
      const mode = pairs.get('Mode');
      const width = parseHz(pairs.get('Width'));
      if (vfo === null || freq === null || !mode || width === null) throw malformed('get_rig_info', values);
      vfos.push({ vfo, info: { freq, mode, width }, tx: pairs.get('TX') === '1' });
    } else if (pairs.has('Split')) {
      const value = pairs.get('Split');
      if (value !== '0' && value !== '1') throw malformed('get_rig_info', values);
      split = value === '1';
    }
  }
  const a = vfos.find((v) => v.vfo === 'VFOA');
  const b = vfos.find((v) => v.vfo === 'VFOB');
  if (!a || !b || split === null || vfos.length !== 2) throw malformed('get_rig_info', values);
  return { a: a.info, b: b.info, split, txVfo: a.tx !== b.tx ? (a.tx ? 'VFOA' : 'VFOB') : null };
}

/** `s`: `Split: 1`, `TX VFO: VFOB`. */
export function parseSplitVfo(values: readonly string[]): { split: boolean; txVfo: string } {
  const { fields } = splitFields(values);
  const split = fields.get('Split');
  const txVfo = fields.get('TX VFO');
  if ((split !== '0' && split !== '1') || txVfo === undefined) throw malformed('get_split_vfo', values);
  return { split: split === '1', txVfo };
}

/** `t`: `PTT: n`; Hamlib's 2 and 3 are PTT on via mic and data inputs, still transmitting. */
export function parsePtt(values: readonly string[]): boolean {
  const ptt = splitFields(values).fields.get('PTT');
  if (ptt === undefined || !/^\d+$/.test(ptt)) throw malformed('get_ptt', values);
  return ptt !== '0';
}

/** `l RFPOWER`: the value is a bare line (`0.250000`, `-44`), not `Key: value` (probed). */
export function parseLevel(values: readonly string[]): number {
  const { bare } = splitFields(values);
  const value = bare.length === 1 ? Number(bare[0]) : Number.NaN;
  if (bare[0]?.trim() === '' || !Number.isFinite(value)) throw malformed('get_level', values);
  return value;
}

/** The answer to the plain `\chk_vfo`: `0`/`1`, or `ChkVFO: n` (the `+` form). Null for anything else. */
export function parseChkVfo(line: string): boolean | null {
  const match = /^(?:ChkVFO: ?)?([01])$/.exec(line.trim());
  return match ? match[1] === '1' : null;
}

export interface DumpState {
  protocolVersion: number;
  rigModel: number;
  /**
   * The union of the RX and TX range lists (frequencyRangesOf), or null when the answer holds none
   * or they do not read as expected: ranges are informational, so they never fail the handshake.
   */
  ranges: FrequencyRange[] | null;
  /**
   * The `key=value` lines rigctld appends when `\chk_vfo` came first (research/hamlib.md §9):
   * `targetable_vfo`, `has_get_vfo`, `ptt_type`, `rigctld_version`, …
   */
  params: Map<string, string>;
}

/**
 * `\dump_state` values: protocol version, rig model, ITU region, the RX and TX range lists, then
 * tuning steps, filters and masks we do not use, then optionally `key=value` lines up to `done`. Only
 * the two leading numbers are required.
 */
export function parseDumpState(values: readonly string[]): DumpState {
  const protocolVersion = Number(values[0]);
  const rigModel = Number(values[1]);
  if (!Number.isInteger(protocolVersion) || !Number.isInteger(rigModel))
    throw malformed('dump_state', values);
  const params = new Map<string, string>();
  for (const line of values.slice(2)) {
    const match = /^([a-z_0-9]+)=(.*)$/.exec(line);
    if (match) params.set(match[1]!, match[2]!);
  }
  return { protocolVersion, rigModel, ranges: frequencyRangesOf(values), params };
}

/** Hamlib's range lists hold at most this many entries before their end marker (HAMLIB_FRQRANGESIZ). */
const MAX_RANGES = 30;

/**
 * The RX and TX range lists of a `\dump_state` answer, merged into one sorted list of disjoint
 * ranges; null when absent or not as expected. Layout (protocol 1, as rigctld 4.5.4 -m 1 answers it,
 * test/backends/fixtures/rigctld-m1-dump-state.txt): the lines after protocol version, model and ITU
 * region are RX ranges `start end modes low_power high_power vfo ant` (`150000.000000
 * 1500000000.000000 0x1ff -1 -1 0x77e00007 0xf`), ended by a line whose start and end are 0
 * (`0 0 0 0 0 0 0`); the TX ranges follow in the same form. Only start and end are read. The list is
 * strict on purpose — a line that is not a range, a reversed range or a missing end marker gives null,
 * and the gateway then uses the port's profile ranges — so a tuning-step line is never taken for a band.
 */
export function frequencyRangesOf(values: readonly string[]): FrequencyRange[] | null {
  if (values[0] !== '1' && values[0] !== '0') return null; // an unknown protocol: its layout is not known
  const ranges: { fromHz: number; toHz: number }[] = [];
  let at = 3;
  for (let list = 0; list < 2; list++) {
    for (let n = 0; ; n++, at++) {
      if (n > MAX_RANGES) return null;
      const fields = values[at]?.trim().split(/\s+/) ?? [];
      if (fields.length < 2) return null;
      const fromHz = parseHz(fields[0]);
      const toHz = parseHz(fields[1]);
      if (fromHz === null || toHz === null) return null;
      if (fromHz === 0 && toHz === 0) break; // the list's end marker
      if (fromHz > toHz) return null;
      ranges.push({ fromHz, toHz });
    }
    at++;
  }
  if (ranges.length === 0) return null;
  ranges.sort((a, b) => a.fromHz - b.fromHz);
  const union: { fromHz: number; toHz: number }[] = [{ ...ranges[0]! }];
  for (const range of ranges.slice(1)) {
    const last = union[union.length - 1]!;
    if (range.fromHz <= last.toHz + 1) last.toHz = Math.max(last.toHz, range.toHz);
    else union.push({ ...range });
  }
  return union;
}

/** Hamlib's RIG_TARGETABLE_FREQ and RIG_TARGETABLE_MODE bits of `targetable_vfo` (rig.h, 4.5.4). */
export const TARGETABLE_FREQ = 1 << 0;
export const TARGETABLE_MODE = 1 << 1;

/** `targetable_vfo=0x10c3` as a number; null when absent or unreadable. */
export function targetableVfo(state: DumpState): number | null {
  const raw = state.params.get('targetable_vfo');
  if (raw === undefined || !/^(0x[0-9a-fA-F]+|\d+)$/.test(raw)) return null;
  return Number(raw);
}
