import type { Mode, Rig, Vfo } from '../../model/rig.js';
import { type CommandOutcome, digits, malformed, type SemicolonCommandTable } from '../semicolon/dialect.js';
import { modeFromZzNumber, zzModeNumber } from './modes.js';
import type { KenwoodCapability, KenwoodProfile } from './profile.js';

/** What the ZZ commands need of the Kenwood emulator they extend. */
export interface ZzHost {
  readonly rig: Rig;
  readonly profile: KenwoodProfile;
  /** The low filter edge this client set with `ZZFL` (Hz above the carrier): a port's own setting. */
  zzFilterLowHz: number;
  frequency(vfo: Vfo, args: string, prefix: string): CommandOutcome;
  set(ok: boolean, meaning: string): CommandOutcome;
  ptt(on: boolean): CommandOutcome;
}

/** S9 in dBm, the reference of `ZZRM0` (Hamlib adds 73 to read dB over S9, flex6xxx.c). */
const S9_DBM = -73;

/**
 * The Flex/PowerSDR `ZZ` extensions of the Kenwood dialect, as Hamlib 4.5.4's flex6xxx.c uses them
 * (capture test/rigs/kenwood/captures/powersdr.wire.txt): each behind its own named capability, so a
 * profile has exactly the ZZ commands its program answers. Four-letter names, found before the
 * two-letter Kenwood ones by the table lookup.
 */
export const ZZ_COMMANDS: SemicolonCommandTable<ZzHost, KenwoodCapability> = {
  ZZFA: { needs: 'zz_frequency', run: (h, args) => h.frequency('VFOA', args, 'ZZFA') },
  ZZFB: { needs: 'zz_frequency', run: (h, args) => h.frequency('VFOB', args, 'ZZFB') },
  ZZMD: { needs: 'zz_mode', run: (h, args) => zzMode(h, args) },
  ZZFI: { needs: 'zz_filter_index', run: (h, args) => filterIndex(h, 'VFOA', args) },
  ZZFJ: { needs: 'zz_filter_index', run: (h, args) => filterIndex(h, 'VFOB', args) },
  ZZFL: { needs: 'zz_filter_edges', run: (h, args) => filterEdge(h, 'low', args) },
  ZZFH: { needs: 'zz_filter_edges', run: (h, args) => filterEdge(h, 'high', args) },
  ZZTX: { needs: 'zz_ptt', run: (h, args) => zzPtt(h, args) },
  ZZRM: { needs: 'zz_meters', run: (h, args) => zzMeter(h, args) },
  ZZPC: { needs: 'zz_rf_power', run: (h, args) => zzRfPower(h, args) },
};

/** `ZZMD`: the mode of the receive VFO, by PowerSDR's two-digit numbers. */
function zzMode(h: ZzHost, args: string): CommandOutcome {
  const vfo = h.rig.vfo();
  const current = h.rig.mode(vfo).mode;
  if (!args)
    return { reply: `ZZMD${zzModeNumber(current)}`, kind: 'query', meaning: `get mode → ${current}` };
  if (!/^\d{2}$/.test(args)) return malformed(`ZZMD${args}`);
  const mode = modeFromZzNumber(args);
  if (!mode) return { reply: '?', kind: 'malformed', meaning: `ZZ mode ${args} has no canonical mode` };
  if (mode === current) return { kind: 'set', meaning: `set mode ${mode}` };
  // A new mode takes the program's default filter for it (passband 0), as a mode button does.
  return h.set(h.rig.setMode(vfo, mode, 0) === 'accepted', `set mode ${mode}`);
}

type FilterGroup = 'ssb' | 'cw' | 'am' | 'data';

function filterGroup(mode: Mode): FilterGroup | undefined {
  if (mode === 'USB' || mode === 'LSB') return 'ssb';
  if (mode === 'CW' || mode === 'CWR') return 'cw';
  if (mode === 'AM' || mode === 'PKTAM') return 'am';
  if (mode === 'PKTUSB' || mode === 'PKTLSB' || mode === 'RTTY' || mode === 'RTTYR') return 'data';
  return undefined; // FM: no ZZFI table (Hamlib reads a fixed width)
}

/** `ZZFI` (VFO A) / `ZZFJ` (VFO B): the filter index, the first width no wider than the passband (as Hamlib picks it). */
function filterIndex(h: ZzHost, vfo: Vfo, args: string): CommandOutcome {
  const prefix = vfo === 'VFOA' ? 'ZZFI' : 'ZZFJ';
  const { mode, passband } = h.rig.mode(vfo);
  const group = filterGroup(mode);
  const table = group && h.profile.zz_filters?.[group];
  if (!args) {
    if (!table) return { reply: `${prefix}00`, kind: 'query', meaning: `get filter → ${mode} has none` };
    const hz = passband || table.default_hz;
    const found = table.widths.findIndex((w) => w <= hz);
    const index = found < 0 ? table.widths.length - 1 : found;
    return { reply: `${prefix}${digits(index, 2)}`, kind: 'query', meaning: `get filter → index ${index}` };
  }
  if (!/^\d{2}$/.test(args)) return malformed(`${prefix}${args}`);
  const hz = table?.widths[Number(args)];
  if (hz === undefined || hz === 0) return malformed(`${prefix}${args}`);
  if (hz === passband) return { kind: 'set', meaning: `set filter ${hz} Hz` };
  return h.set(h.rig.setMode(vfo, mode, hz) === 'accepted', `set filter ${hz} Hz`);
}

/** `ZZFL`/`ZZFH`: the receive filter's low and high edges in Hz (5 characters, signed below the carrier). */
function filterEdge(h: ZzHost, edge: 'low' | 'high', args: string): CommandOutcome {
  const vfo = h.rig.vfo();
  const { mode, passband } = h.rig.mode(vfo);
  const width =
    passband || (filterGroup(mode) && h.profile.zz_filters?.[filterGroup(mode)!].default_hz) || 2400;
  const name = edge === 'low' ? 'ZZFL' : 'ZZFH';
  if (!args) {
    const hz = edge === 'low' ? h.zzFilterLowHz : h.zzFilterLowHz + width;
    return { reply: `${name}${signed5(hz)}`, kind: 'query', meaning: `get filter ${edge} edge → ${hz} Hz` };
  }
  if (!/^[-+]?\d{4,5}$/.test(args)) return malformed(`${name}${args}`);
  const hz = Number(args);
  if (edge === 'low') {
    // The width stays where the high edge was.
    const high = h.zzFilterLowHz + width;
    h.zzFilterLowHz = hz;
    if (high - hz <= 0) return malformed(`${name}${args}`);
    return h.set(h.rig.setMode(vfo, mode, high - hz) === 'accepted', `set filter low edge ${hz} Hz`);
  }
  if (hz - h.zzFilterLowHz <= 0) return malformed(`${name}${args}`);
  return h.set(
    h.rig.setMode(vfo, mode, hz - h.zzFilterLowHz) === 'accepted',
    `set filter high edge ${hz} Hz`,
  );
}

function signed5(hz: number): string {
  return hz < 0 ? `-${digits(-hz, 4)}` : digits(hz, 5);
}

/** `ZZTX`: PTT, read back as `ZZTX0`/`ZZTX1` (Hamlib writes `ZZTX1;ZZTX;` and compares the fifth character). */
function zzPtt(h: ZzHost, args: string): CommandOutcome {
  if (!args) return { reply: `ZZTX${h.rig.ptt() ? 1 : 0}`, kind: 'query', meaning: 'get PTT' };
  if (args !== '0' && args !== '1') return malformed(`ZZTX${args}`);
  return h.ptt(args === '1');
}

/** `ZZRM0`: the S-meter in dBm; `ZZRM5`: forward power in watts (0 in receive). Other meters read 0. */
function zzMeter(h: ZzHost, args: string): CommandOutcome {
  if (!/^\d$/.test(args)) return malformed(`ZZRM${args}`);
  let reply = `ZZRM${args}000`;
  if (args === '0') {
    const dbm = Math.round(h.rig.strengthDb() + S9_DBM);
    reply = `ZZRM0${dbm < 0 ? '-' : '+'}${digits(Math.abs(dbm), 3)}`;
  } else if (args === '5') {
    reply = `ZZRM5${digits(h.rig.ptt() ? h.rig.rfPower() * h.profile.max_power_w : 0, 3)}`;
  }
  return { reply, kind: 'query', meaning: `get meter ${args}` };
}

/** `ZZPC`: drive level in percent, 3 digits. */
function zzRfPower(h: ZzHost, args: string): CommandOutcome {
  if (!args) {
    const percent = Math.round(h.rig.rfPower() * 100);
    return { reply: `ZZPC${digits(percent, 3)}`, kind: 'query', meaning: `get drive → ${percent} %` };
  }
  if (!/^\d{3}$/.test(args) || Number(args) > 100) return malformed(`ZZPC${args}`);
  return h.set(h.rig.setRfPower(Number(args) / 100) === 'accepted', `set drive ${Number(args)} %`);
}
