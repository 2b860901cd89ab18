import type { Mode } from '../../../model/rig.js';
import type { NewcatProfile } from './profile.js';

/**
 * Newcat `MD` characters (research/hamlib.md §5.2), as Hamlib 4.5.4 maps them: RTTY-LSB (6) is Hamlib's
 * RTTY and RTTY-USB (9) its RTTYR; DATA-USB (C) is PKTUSB and DATA-LSB (8) PKTLSB. The narrow FM/AM
 * variants and C4FM have no canonical mode of their own and read as their base mode.
 */
const CHAR_TO_MODE: Record<string, Mode> = {
  '1': 'LSB',
  '2': 'USB',
  '3': 'CW',
  '4': 'FM',
  '5': 'AM',
  '6': 'RTTY',
  '7': 'CWR',
  '8': 'PKTLSB',
  '9': 'RTTYR',
  A: 'PKTFM',
  B: 'FM', // FM-N
  C: 'PKTUSB',
  D: 'AM', // AM-N
  E: 'FM', // C4FM
  F: 'PKTFM', // DATA-FMN
};

const MODE_TO_CHAR: Record<Mode, string> = {
  LSB: '1',
  USB: '2',
  CW: '3',
  FM: '4',
  WFM: '4', // no WFM transmit mode on these radios: the nearest is FM
  AM: '5',
  RTTY: '6',
  CWR: '7',
  PKTLSB: '8',
  RTTYR: '9',
  PKTFM: 'A',
  PKTUSB: 'C',
  PKTAM: '5', // no data AM: AM
};

export function modeChar(mode: Mode): string {
  return MODE_TO_CHAR[mode];
}

/** The canonical mode an `MDxc` set means on this radio; undefined: the radio rejects the character. */
export function modeFromChar(profile: NewcatProfile, char: string): Mode | undefined {
  return profile.mode_chars.includes(char) ? CHAR_TO_MODE[char] : undefined;
}

type WidthClass = 'ssb' | 'cw' | 'data' | 'none';

function widthClass(mode: Mode): WidthClass {
  if (mode === 'USB' || mode === 'LSB') return 'ssb';
  if (mode === 'CW' || mode === 'CWR' || mode === 'RTTY' || mode === 'RTTYR') return 'cw';
  if (mode === 'PKTUSB' || mode === 'PKTLSB') return 'data';
  return 'none'; // AM and FM: fixed filters, SH reads 00
}

function tableFor(profile: NewcatProfile, mode: Mode): readonly number[] | undefined {
  const cls = widthClass(mode);
  if (cls === 'none') return undefined;
  return cls === 'ssb' ? profile.widths.ssb : profile.widths.narrow;
}

/**
 * The `SH` index for a passband: the narrowest filter at least as wide (what Hamlib 4.5.4 writes for
 * `M <mode> <width>`, so a width set by Hamlib reads back as the same index). 0 Hz is the mode's default.
 */
export function widthIndex(profile: NewcatProfile, mode: Mode, passbandHz: number): number {
  const table = tableFor(profile, mode);
  if (!table) return 0;
  const cls = widthClass(mode);
  const hz = passbandHz > 0 ? passbandHz : profile.default_widths[cls as 'ssb' | 'cw' | 'data'];
  for (let i = 1; i < table.length; i++) if ((table[i] ?? 0) >= hz) return i;
  return table.length - 1;
}

/**
 * The largest index Hamlib 4.5.4's generic width branch writes (newcat.c, for radios it has no table
 * for: SSB "wide" is 25, CW/DATA 24). On a radio whose table ends sooner (the FT-710's at 23 and 21) it
 * means the widest filter; anything above is no filter.
 */
const HAMLIB_GENERIC_MAX_INDEX = 25;

/** The passband an `SH` index means in this mode (0: the mode's default, passband 0); undefined: no such filter. */
export function widthHz(profile: NewcatProfile, mode: Mode, index: number): number | undefined {
  const table = tableFor(profile, mode);
  if (index === 0) return 0;
  if (!table) return undefined;
  return table[index] ?? (index <= HAMLIB_GENERIC_MAX_INDEX ? table.at(-1) : undefined);
}
