import { isMode, type Mode, otherVfo, type Rig, type Vfo } from '../../../model/rig.js';
import { modeFromFlrig } from '../../backends/flrig-modes.js';
import { Fault, type Param, type Result } from './wire.js';

/**
 * The flrig door's methods: what Hamlib's flrig backend (model 4, WSJT-X's "FLRig") and fldigi's
 * flrig client call, with flrig 1.4.7's value types (research/flrig.md §3.5, §3.7): frequencies as
 * untyped strings out and `<double>` in, PTT/split/power as `<i4>`, modes by name. Pure: no I/O.
 */

/** flrig's version as the door reports it: clients check it (Hamlib reads main.get_version at open). */
export const FLRIG_VERSION = '1.4.7';
/** The transceiver name `rig.get_xcvr` reports. */
export const XCVR_NAME = 'catbridge';
/** The radio's maximum power in watts, as `rig.get_maxpwr` and the power methods scale it. */
const MAX_POWER_W = 100;

/**
 * Mode names in the IC-7300 style of flrig (`USB-D` for data): every canonical mode has one, and
 * Hamlib's flrig backend and fldigi know them all.
 */
const MODE_NAMES: Record<Mode, string> = {
  LSB: 'LSB',
  USB: 'USB',
  AM: 'AM',
  FM: 'FM',
  WFM: 'WFM',
  CW: 'CW',
  CWR: 'CW-R',
  RTTY: 'RTTY',
  RTTYR: 'RTTY-R',
  PKTLSB: 'LSB-D',
  PKTUSB: 'USB-D',
  PKTFM: 'FM-D',
  PKTAM: 'AM-D',
};
const MODE_LIST = Object.values(MODE_NAMES);

/** Passbands offered by `rig.get_bws` and indexed by `rig.set_bw` below 50 (an index, not Hz). */
const BANDWIDTHS = [50, 100, 200, 300, 500, 1000, 1800, 2400, 2700, 3000, 6000, 15000];

export interface MethodContext {
  rig: Rig;
}

type Method = (ctx: MethodContext, params: Param[]) => Result | Fault;

const typeError = () => new Fault(-1, 'type error');

/** A written value: the radio refused it (PTT held elsewhere, readonly door) or is unreachable. */
function written(ctx: MethodContext, result: 'accepted' | 'refused', value: Result = null): Result | Fault {
  if (result === 'accepted') return value;
  return ctx.rig.online()
    ? new Fault(-1, 'refused: another client holds the transmitter, or this door may not write')
    : new Fault(-1, 'radio not reachable');
}

function doubleParam(params: Param[]): number | Fault {
  const [p] = params;
  // flrig takes frequencies only as <double> (an int or a string is a type error). With no parameter
  // flrig tunes to 0 Hz; the door answers the type error instead.
  if (p?.type !== 'double' || p.value < 0) return typeError();
  return Math.round(p.value);
}

function intParam(params: Param[]): number | Fault {
  const [p] = params;
  if (p?.type !== 'i4') return typeError();
  return p.value;
}

function stringParam(params: Param[]): string | Fault {
  const [p] = params;
  if (!p || (p.type !== 'string' && p.type !== 'untyped')) return typeError();
  return p.value;
}

const vfoInUse = (ctx: MethodContext): Vfo => ctx.rig.vfo();

const getFreq =
  (vfo: (ctx: MethodContext) => Vfo): Method =>
  (ctx) =>
    String(ctx.rig.freq(vfo(ctx)));

const setFreq =
  (vfo: (ctx: MethodContext) => Vfo, answer: Result = null): Method =>
  (ctx, params) => {
    const hz = doubleParam(params);
    if (hz instanceof Fault) return hz;
    return written(ctx, ctx.rig.setFreq(vfo(ctx), hz), answer);
  };

const getMode =
  (vfo: (ctx: MethodContext) => Vfo): Method =>
  (ctx) =>
    MODE_NAMES[ctx.rig.mode(vfo(ctx)).mode];

const setMode =
  (vfo: (ctx: MethodContext) => Vfo): Method =>
  (ctx, params) => {
    const name = stringParam(params);
    if (name instanceof Fault) return name;
    // A name flrig does not know is answered with an empty value and changes nothing (flrig 1.4.7).
    const mode = modeFromFlrig(name) ?? (isMode(name) ? name : undefined);
    if (!mode) return null;
    return written(ctx, ctx.rig.setMode(vfo(ctx), mode), { i4: 1 });
  };

/** `[bandwidth, ""]`: flrig's answer for a radio with one filter table. */
const getBw =
  (vfo: (ctx: MethodContext) => Vfo): Method =>
  (ctx) => [String(ctx.rig.mode(vfo(ctx)).passband), ''];

function setBw(ctx: MethodContext, params: Param[]): Result | Fault {
  const value = intParam(params);
  if (value instanceof Fault) return value;
  // Small numbers are an index into get_bws (flrig's set_bw); larger ones are Hz (set_bandwidth).
  const hz = value < BANDWIDTHS.length ? BANDWIDTHS[value]! : value;
  const vfo = vfoInUse(ctx);
  return written(ctx, ctx.rig.setMode(vfo, ctx.rig.mode(vfo).mode, hz));
}

function setSplit(ctx: MethodContext, params: Param[]): Result | Fault {
  const value = intParam(params);
  if (value instanceof Fault) return value;
  // 0 is off; 1..3 are on (Hamlib sends 3 for `S 1 VFOB`; flrig's TS-2000 driver reports 0..3):
  // the radio then transmits on the VFO it does not receive on.
  const on = value !== 0;
  return written(ctx, ctx.rig.setSplit(on, on ? otherVfo(ctx.rig.vfo()) : ctx.rig.vfo()));
}

function setAB(ctx: MethodContext, params: Param[]): Result | Fault {
  const name = stringParam(params);
  if (name instanceof Fault) return name;
  // flrig ignores anything but A and B.
  if (name !== 'A' && name !== 'B') return null;
  return written(ctx, ctx.rig.selectVfo(name === 'A' ? 'VFOA' : 'VFOB'));
}

function setPtt(ctx: MethodContext, params: Param[]): Result | Fault {
  const value = intParam(params);
  if (value instanceof Fault) return value;
  return written(ctx, ctx.rig.setPtt(value !== 0));
}

function setPower(ctx: MethodContext, params: Param[]): Result | Fault {
  const watts = intParam(params);
  if (watts instanceof Fault) return watts;
  return written(ctx, ctx.rig.setRfPower(watts / MAX_POWER_W));
}

/** flrig's S-meter scale: 0..100 with S9 at 50 (6 dB per S unit below it, 20 dB+ above in the rest). */
function smeter(ctx: MethodContext): string {
  const db = ctx.rig.strengthDb();
  const value = db <= 0 ? ((db + 54) * 50) / 54 : 50 + (db * 50) / 60;
  return String(Math.round(Math.min(100, Math.max(0, value))));
}

function info(ctx: MethodContext): string {
  const vfo = ctx.rig.vfo();
  const { mode, passband } = ctx.rig.mode(vfo);
  const fa = vfo === 'VFOA' ? 'FA' : 'FB';
  return `R:${XCVR_NAME}\nT:${ctx.rig.ptt() ? 'X' : 'R'}\n${fa}:${ctx.rig.freq(vfo)}\nM:${MODE_NAMES[mode]}\nL:${passband}\nU:\nN:0\nVol:0\nMic:0\nRfg:100\n`;
}

export const METHODS: Record<string, Method> = {
  'main.get_version': () => FLRIG_VERSION,
  'rig.get_xcvr': () => XCVR_NAME,
  'rig.get_info': (ctx) => info(ctx),
  'rig.get_vfo': getFreq(vfoInUse),
  'rig.get_vfoA': getFreq(() => 'VFOA'),
  'rig.get_vfoB': getFreq(() => 'VFOB'),
  'rig.set_vfo': setFreq(vfoInUse),
  'rig.set_frequency': setFreq(vfoInUse, { i4: 1 }),
  'main.set_frequency': setFreq(vfoInUse, { i4: 1 }),
  'rig.set_vfoA': setFreq(() => 'VFOA'),
  'rig.set_vfoB': setFreq(() => 'VFOB'),
  'rig.set_vfoA_fast': setFreq(() => 'VFOA'),
  'rig.set_vfoB_fast': setFreq(() => 'VFOB'),
  'rig.set_verify_vfoA': setFreq(() => 'VFOA'),
  'rig.set_verify_vfoB': setFreq(() => 'VFOB'),
  'rig.get_mode': getMode(vfoInUse),
  'rig.get_modeA': getMode(() => 'VFOA'),
  'rig.get_modeB': getMode(() => 'VFOB'),
  'rig.set_mode': setMode(vfoInUse),
  'rig.set_modeA': setMode(() => 'VFOA'),
  'rig.set_modeB': setMode(() => 'VFOB'),
  'rig.set_verify_mode': setMode(vfoInUse),
  'rig.get_modes': () => MODE_LIST,
  'rig.get_sideband': (ctx) =>
    /^(LSB|CW-R|RTTY|LSB-D)$/.test(MODE_NAMES[ctx.rig.mode(vfoInUse(ctx)).mode]) ? 'L' : 'U',
  'rig.get_bw': getBw(vfoInUse),
  'rig.get_bwA': getBw(() => 'VFOA'),
  'rig.get_bwB': getBw(() => 'VFOB'),
  'rig.get_bws': () => [['Bandwidth', ...BANDWIDTHS.map(String)]],
  'rig.set_bw': setBw,
  'rig.set_bandwidth': setBw,
  'rig.set_verify_bw': setBw,
  'rig.get_split': (ctx) => ({ i4: ctx.rig.split() ? 1 : 0 }),
  'rig.set_split': setSplit,
  'rig.set_verify_split': setSplit,
  'rig.get_AB': (ctx) => (ctx.rig.vfo() === 'VFOA' ? 'A' : 'B'),
  'rig.set_AB': setAB,
  'rig.set_verify_AB': setAB,
  'rig.get_ptt': (ctx) => ({ i4: ctx.rig.ptt() ? 1 : 0 }),
  'rig.set_ptt': setPtt,
  'rig.set_ptt_fast': setPtt,
  'rig.set_verify_ptt': setPtt,
  'rig.get_power': (ctx) => ({ i4: Math.round(ctx.rig.rfPower() * MAX_POWER_W) }),
  'rig.set_power': setPower,
  'rig.set_verify_power': setPower,
  'rig.get_maxpwr': () => ({ i4: MAX_POWER_W }),
  'rig.get_smeter': (ctx) => smeter(ctx),
  'rig.get_pwrmeter': (ctx) => String(ctx.rig.ptt() ? Math.round(ctx.rig.rfPower() * MAX_POWER_W) : 0),
  // get_pwrmeter answers watts (scale 1, as flrig's TS-2000 driver says).
  'rig.get_pwrmeter_scale': () => ({ i4: 1 }),
  // No SWR reading reaches the gateway: flrig's "no reading".
  'rig.get_swrmeter': () => '0',
};

/** The methods that read or change the radio: answered with a fault while it is unreachable. */
export const RADIO_FREE = new Set([
  'main.get_version',
  'rig.get_xcvr',
  'rig.get_modes',
  'rig.get_bws',
  'rig.get_maxpwr',
  'rig.get_pwrmeter_scale',
]);
