import { crc32 } from 'node:zlib';
import { MODES, otherVfo, type Rig, type RigReads, type Vfo } from '../../../model/rig.js';
import { parseModeName } from '../../backends/rigctld-protocol.js';
import { hamlibModeName, MODE_BITS, OTHER_HAMLIB_LEVELS, parseVfo, RPRT } from './vocabulary.js';

/**
 * The rigctld door's command table (Hamlib 4.5.4 `rigctl_parse.c` vocabulary, answers as captured from
 * `rigctld -m 1` in test/doors/fixtures/): each command's names, whether it takes a VFO first in VFO
 * mode, how many arguments it needs, and a handler on the connection's Rig. Pure: no I/O.
 */

/** One value of a get's answer: `label: text` in extended form, `text` alone in plain form. */
export interface Value {
  /** Null: printed without a label even in extended form (rigctld's get_level). */
  label: string | null;
  text: string;
  /** Ended by `\n` whatever the separator (rigctld's get_powerstat does this). */
  newline?: boolean;
}

export type Outcome =
  | { code: 0; values?: Value[]; block?: string }
  | { code: number; values?: undefined; block?: undefined };

/** Per-connection protocol state (DESIGN.md: a door's client has its own). */
export interface ConnectionState {
  /** VFO mode: every rig command takes a VFO first (`\set_vfo_opt 1`). */
  vfoMode: boolean;
  /** `\chk_vfo` was asked on this connection (rigctld then extends `\dump_state`). */
  chkVfoSeen: boolean;
  /** `\set_lock_mode`: a client-side flag in rigctld, kept per connection here. */
  lockMode: number;
}

export interface CommandContext {
  /** This client's handle on the radio: reads through its per-part accessors, writes. */
  rig: Rig;
  connection: ConnectionState;
  /** `\dump_state`'s text for this connection. */
  dumpState(): string;
  /** `\dump_caps`'s text. */
  dumpCaps(): string;
  /** The client asked to close (`q`). */
  quit(): void;
}

export interface Command {
  /** The long name (`get_freq`): what extended responses print. */
  name: string;
  short?: string;
  /** In VFO mode the first argument is a VFO. */
  takesVfo: boolean;
  /** Arguments after the VFO. */
  args: number;
  /** Reads or changes the radio (answers RPRT -6 while the radio is unreachable). */
  touchesRadio: boolean;
  kind: 'get' | 'set' | 'other';
  /** Printed alone, no header, no RPRT line, in extended form too (`\chk_vfo`, `q`). */
  bare?: boolean;
  /** rigctld adds `RPRT 0` after the value in plain form too (`\get_lock_mode`). */
  plainRprt?: boolean;
  run(ctx: CommandContext, vfo: Vfo | undefined, args: string[]): Outcome;
}

const ok = (...values: Value[]): Outcome => ({ code: 0, values });
const fail = (code: number): Outcome => ({ code });
const value = (label: string | null, text: string | number): Value => ({ label, text: String(text) });

/** A refused write: the radio is unreachable (-6), or the gateway refused it (PTT held elsewhere, readonly). */
function written(ctx: CommandContext, result: 'accepted' | 'refused'): Outcome {
  if (result === 'accepted') return { code: 0 };
  return fail(ctx.rig.online() ? RPRT.ERJCTED : RPRT.EIO);
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
function number(text: string | undefined): number | undefined {
  return text !== undefined && NUMBER.test(text) ? Number(text) : undefined;
}

/** The VFO a get/set without a VFO argument means: the radio's RX VFO (rigctld's currVFO). */
function target(ctx: CommandContext, vfo: Vfo | undefined): Vfo {
  return vfo ?? ctx.rig.vfo();
}

/** Where `I`/`X` go: the TX VFO while split, otherwise the VFO split would transmit on (the other one). */
function splitTarget(rig: RigReads): Vfo {
  return rig.split() ? rig.txVfo() : otherVfo(rig.vfo());
}

function setMode(ctx: CommandContext, vfo: Vfo, name: string, passbandText: string): Outcome {
  const passband = number(passbandText);
  // Hamlib's names: PKTUSB or USB-D, PKTFM or FM-D (rigctld takes either).
  const mode = parseModeName(name);
  if (!mode || passband === undefined || !Number.isInteger(passband) || passband < -1) {
    return fail(RPRT.EINVAL);
  }
  // Hamlib's RIG_PASSBAND_NOCHANGE (-1) keeps the passband; 0 is the mode's default.
  return written(ctx, ctx.rig.setMode(vfo, mode, passband === -1 ? undefined : passband));
}

function setFreq(ctx: CommandContext, vfo: Vfo, text: string): Outcome {
  const hz = number(text);
  if (hz === undefined || hz < 0) return fail(RPRT.EINVAL);
  return written(ctx, ctx.rig.setFreq(vfo, Math.round(hz)));
}

function setPtt(ctx: CommandContext, text: string): Outcome {
  // RIG_PTT_OFF, RIG_PTT_ON, RIG_PTT_ON_MIC, RIG_PTT_ON_DATA (WSJT-X sends `T 3` on some paths).
  if (!['0', '1', '2', '3'].includes(text)) return fail(RPRT.EINVAL);
  return written(ctx, ctx.rig.setPtt(text !== '0'));
}

/**
 * `M ?`, `X ?`: the modes the door offers (those `\dump_state` declares), in Hamlib's bit order and
 * names, a space after each as rig_sprintf_mode prints them. `V ?`, `\get_vfo_info ?`: its two VFOs.
 */
const MODE_LIST = `${[...MODES]
  .sort((a, b) => MODE_BITS[a] - MODE_BITS[b])
  .map((mode) => `${hamlibModeName(mode)} `)
  .join('')}`;
const VFO_LIST = 'VFOA VFOB ';

/** `l ?`, `L ?`: the levels the door reads or sets, as rigctld lists them (a space after each). */
const GET_LEVELS = 'RFPOWER STRENGTH ';
const SET_LEVELS = 'RFPOWER ';

function level(ctx: CommandContext, name: string): Outcome {
  if (name === '?') return ok(value(null, GET_LEVELS));
  if (name === 'RFPOWER') return ok(value(null, ctx.rig.rfPower().toFixed(6)));
  if (name === 'STRENGTH') return ok(value(null, Math.round(ctx.rig.strengthDb())));
  return fail(OTHER_HAMLIB_LEVELS.has(name) ? RPRT.ENAVAIL : RPRT.EINVAL);
}

function setLevel(ctx: CommandContext, name: string, text: string | undefined): Outcome {
  if (name === '?') return ok(value(null, SET_LEVELS));
  if (name === 'RFPOWER') {
    const level = number(text);
    if (level === undefined) return fail(RPRT.EINVAL);
    return written(ctx, ctx.rig.setRfPower(level));
  }
  return fail(name === 'STRENGTH' || OTHER_HAMLIB_LEVELS.has(name) ? RPRT.ENAVAIL : RPRT.EINVAL);
}

/**
 * `\get_rig_info` (Log4OM reads it; Hamlib#1413): one line per VFO, split, identity, and a CRC-32 of
 * the text before it, as rigctld 4.5.4 writes it.
 */
function rigInfo(rig: RigReads): string {
  const rxVfo = rig.vfo();
  const split = rig.split();
  const tx = split ? rig.txVfo() : rxVfo;
  const line = (vfo: Vfo, name: string) => {
    const { mode, passband } = rig.mode(vfo);
    const rx = vfo === rxVfo ? 1 : 0;
    return `VFO=${name} Freq=${rig.freq(vfo)} Mode=${hamlibModeName(mode)} Width=${passband} RX=${rx} TX=${vfo === tx ? 1 : 0}\n`;
  };
  const text = `${line('VFOA', 'Main')}${line('VFOB', 'Sub')}Split=${split ? 1 : 0} SatMode=0\nRig=catbridge\nApp=Hamlib\nVersion=20230106 1.0.0\n`;
  return `${text}CRC=0x${crc32(text).toString(16).padStart(8, '0')}\n\n`;
}

/** A rig command of rigctl's: one letter, a VFO first in VFO mode, answered from or written to the radio. */
const radioGet = (name: string, short: string, args: number, run: Command['run']): Command => ({
  name,
  short,
  takesVfo: true,
  args,
  touchesRadio: true,
  kind: 'get',
  run,
});
const radioSet = (name: string, short: string, args: number, run: Command['run']): Command => ({
  ...radioGet(name, short, args, run),
  kind: 'set',
});

/** A command only in backslash form (`\\get_vfo_info VFOA`): never a VFO first, even in VFO mode. */
const backslash = (
  name: string,
  args: number,
  kind: Command['kind'],
  touchesRadio: boolean,
  run: Command['run'],
  flags: Pick<Command, 'bare' | 'plainRprt'> = {},
): Command => ({ name, takesVfo: false, args, touchesRadio, kind, run, ...flags });

const COMMANDS: Command[] = [
  radioGet('get_freq', 'f', 0, (ctx, vfo) => ok(value('Frequency', ctx.rig.freq(target(ctx, vfo))))),
  radioSet('set_freq', 'F', 1, (ctx, vfo, [hz]) => setFreq(ctx, target(ctx, vfo), hz!)),
  radioGet('get_mode', 'm', 0, (ctx, vfo) => {
    const { mode, passband } = ctx.rig.mode(target(ctx, vfo));
    return ok(value('Mode', hamlibModeName(mode)), value('Passband', passband));
  }),
  {
    ...radioSet('set_mode', 'M', 2, (ctx, vfo, [mode, passband]) =>
      mode === '?' ? ok(value(null, MODE_LIST)) : setMode(ctx, target(ctx, vfo), mode!, passband!),
    ),
    plainRprt: true,
  },
  {
    name: 'get_vfo',
    short: 'v',
    takesVfo: false,
    args: 0,
    touchesRadio: true,
    kind: 'get',
    run: (ctx) => ok(value('VFO', ctx.rig.vfo())),
  },
  {
    name: 'set_vfo',
    short: 'V',
    takesVfo: false,
    args: 1,
    touchesRadio: true,
    kind: 'set',
    plainRprt: true,
    run: (ctx, _vfo, [name]) => {
      if (name === '?') return ok(value(null, VFO_LIST));
      const vfo = parseVfo(name!, ctx.rig);
      return vfo ? written(ctx, ctx.rig.selectVfo(vfo)) : fail(RPRT.EINVAL);
    },
  },
  radioGet('get_ptt', 't', 0, (ctx) => ok(value('PTT', ctx.rig.ptt() ? 1 : 0))),
  radioSet('set_ptt', 'T', 1, (ctx, _vfo, [on]) => setPtt(ctx, on!)),
  radioGet('get_split_vfo', 's', 0, (ctx) => {
    return ok(value('Split', ctx.rig.split() ? 1 : 0), value('TX VFO', ctx.rig.txVfo()));
  }),
  radioSet('set_split_vfo', 'S', 2, (ctx, _vfo, [on, txName]) => {
    const txVfo = parseVfo(txName!, ctx.rig);
    if ((on !== '0' && on !== '1') || !txVfo) return fail(RPRT.EINVAL);
    return written(ctx, ctx.rig.setSplit(on === '1', txVfo));
  }),
  radioGet('get_split_freq', 'i', 0, (ctx) => {
    return ok(value('TX Frequency', ctx.rig.freq(splitTarget(ctx.rig))));
  }),
  radioSet('set_split_freq', 'I', 1, (ctx, _vfo, [hz]) => setFreq(ctx, splitTarget(ctx.rig), hz!)),
  radioGet('get_split_mode', 'x', 0, (ctx) => {
    const { mode, passband } = ctx.rig.mode(splitTarget(ctx.rig));
    return ok(value('TX Mode', hamlibModeName(mode)), value('TX Passband', passband));
  }),
  {
    ...radioSet('set_split_mode', 'X', 2, (ctx, _vfo, [mode, passband]) =>
      mode === '?' ? ok(value(null, MODE_LIST)) : setMode(ctx, splitTarget(ctx.rig), mode!, passband!),
    ),
    plainRprt: true,
  },
  radioGet('get_level', 'l', 1, (ctx, _vfo, [name]) => level(ctx, name!)),
  // rigctld ends `L ?`'s list with RPRT 0 in plain form: it is a set.
  {
    ...radioSet('set_level', 'L', 2, (ctx, _vfo, [name, text]) => setLevel(ctx, name!, text)),
    plainRprt: true,
  },
  backslash('get_vfo_info', 1, 'get', true, (ctx, _vfo, [name]) => {
    if (name === '?') return ok(value(null, VFO_LIST));
    const vfo = parseVfo(name!, ctx.rig);
    if (!vfo) return fail(RPRT.EINVAL);
    const { mode, passband } = ctx.rig.mode(vfo);
    return ok(
      value('Freq', ctx.rig.freq(vfo)),
      value('Mode', hamlibModeName(mode)),
      value('Width', passband),
      value('Split', ctx.rig.split() ? 1 : 0),
      value('SatMode', 0),
    );
  }),
  backslash('get_rig_info', 0, 'get', true, (ctx) => ({ code: 0, block: rigInfo(ctx.rig) })),
  backslash('get_powerstat', 0, 'get', true, () => ok({ label: 'Power Status', text: '1', newline: true })),
  {
    name: 'set_powerstat',
    takesVfo: false,
    args: 1,
    touchesRadio: true,
    kind: 'set',
    // Switching the shared radio off is no client's business; switching it on is a no-op (it answers).
    run: (_ctx, _vfo, [on]) => (on === '1' ? { code: 0 } : fail(RPRT.ENAVAIL)),
  },
  backslash('get_lock_mode', 0, 'get', false, (ctx) => ok(value('Locked', ctx.connection.lockMode)), {
    plainRprt: true,
  }),
  backslash('set_lock_mode', 1, 'set', false, (ctx, _vfo, [mode]) => {
    const lock = number(mode);
    if (lock === undefined || !Number.isInteger(lock)) return fail(RPRT.EINVAL);
    ctx.connection.lockMode = lock;
    return { code: 0 };
  }),
  backslash(
    'chk_vfo',
    0,
    'other',
    false,
    (ctx) => {
      ctx.connection.chkVfoSeen = true;
      return ok(value('ChkVFO', ctx.connection.vfoMode ? 1 : 0));
    },
    { bare: true },
  ),
  backslash('set_vfo_opt', 1, 'other', false, (ctx, _vfo, [on]) => {
    if (on !== '0' && on !== '1') return fail(RPRT.EINVAL);
    ctx.connection.vfoMode = on === '1';
    return { code: 0 };
  }),
  backslash('dump_state', 0, 'other', false, (ctx) => ({ code: 0, block: ctx.dumpState() })),
  {
    // Also `1`; rigctld answers it from the caps, radio or not, and ends it with RPRT 0 in plain form.
    name: 'dump_caps',
    short: '1',
    takesVfo: false,
    args: 0,
    touchesRadio: false,
    kind: 'other',
    plainRprt: true,
    run: (ctx) => ({ code: 0, block: ctx.dumpCaps() }),
  },
  {
    name: 'quit',
    short: 'q',
    takesVfo: false,
    args: 0,
    touchesRadio: false,
    kind: 'other',
    bare: true,
    run: (ctx) => {
      ctx.quit();
      return { code: 0 };
    },
  },
];

const BY_SHORT = new Map(COMMANDS.filter((c) => c.short).map((c) => [c.short!, c]));
BY_SHORT.set('Q', BY_SHORT.get('q')!);
const BY_NAME = new Map(COMMANDS.map((c) => [c.name, c]));

/** The command a short letter (`f`) or a long name (`get_freq`, without the backslash) stands for. */
export function findCommand(token: string, long: boolean): Command | undefined {
  return long ? BY_NAME.get(token) : BY_SHORT.get(token);
}
