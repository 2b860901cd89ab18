import type { Mode } from '../../model/rig.js';
import type { KenwoodProfile } from './profile.js';

/**
 * The family's `MD` digits (Hamlib's kenwood_mode_table, research/hamlib.md §3.3). The letters C–F are
 * Hamlib's packet modes; only radios whose profile lists them in `mode_digits` accept them (the TS-2000
 * answers `MDD;` with `?;`, and Hamlib takes the `?;ID019;` as success).
 */
const FAMILY_DIGITS: Readonly<Record<string, Mode>> = {
  '1': 'LSB',
  '2': 'USB',
  '3': 'CW',
  '4': 'FM',
  '5': 'AM',
  '6': 'RTTY',
  '7': 'CWR',
  '9': 'RTTYR',
};

/** The base mode a data mode is built on, and back. */
const DATA_BASE: Partial<Record<Mode, Mode>> = { PKTUSB: 'USB', PKTLSB: 'LSB', PKTFM: 'FM', PKTAM: 'AM' };
const DATA_OF: Partial<Record<Mode, Mode>> = { USB: 'PKTUSB', LSB: 'PKTLSB', FM: 'PKTFM', AM: 'PKTAM' };

/**
 * What a mode shows as on a radio without a digit for it, tried in turn: FSK on a radio without FSK
 * (the Flex) is its digital mode, a data mode on a radio without data digits is its base mode.
 */
const NEAREST: Partial<Record<Mode, Mode>> = {
  RTTY: 'PKTUSB',
  RTTYR: 'PKTLSB',
  CWR: 'CW',
  WFM: 'FM',
  ...DATA_BASE,
};

/** Base modes the TS-590SG's `DA1` turns into data modes (its DATA works on SSB and FM). */
const DA_CAPABLE: readonly Mode[] = ['USB', 'LSB', 'FM'];

/** K3 DT sub-modes (0 DATA A, 1 AFSK A, 2 FSK D, 3 PSK D): FSK D is RTTY, the others data. */
export const K3_FSK_D = 2;

export function isDataMode(mode: Mode): boolean {
  return DATA_BASE[mode] !== undefined;
}

export function baseOf(mode: Mode): Mode {
  return DATA_BASE[mode] ?? mode;
}

/** This radio's digit table: the family's, with the profile's `mode_digits` laid over it (null: no such digit). */
const digitTables = new WeakMap<KenwoodProfile, ReadonlyMap<string, Mode>>();
function digitsOf(profile: KenwoodProfile): ReadonlyMap<string, Mode> {
  let table = digitTables.get(profile);
  if (!table) {
    const merged = new Map(Object.entries(FAMILY_DIGITS));
    for (const [digit, mode] of Object.entries(profile.mode_digits)) {
      if (mode === null) merged.delete(digit);
      else merged.set(digit, mode);
    }
    table = merged;
    digitTables.set(profile, table);
  }
  return table;
}

/** The `MD` digit a radio of this profile shows for a canonical mode. */
export function modeDigit(profile: KenwoodProfile, mode: Mode): string {
  if (profile.data_mode === 'k3_dt') {
    // K3: DATA (6) and DATA-REV (9) carry both data modes and FSK D (research/hamlib.md §3.3).
    if (mode === 'PKTUSB' || mode === 'RTTY' || mode === 'PKTAM' || mode === 'PKTFM') return '6';
    if (mode === 'PKTLSB' || mode === 'RTTYR') return '9';
  }
  const digits = digitsOf(profile);
  for (let shown: Mode | undefined = mode; shown !== undefined; shown = NEAREST[shown])
    for (const [digit, m] of digits) if (m === shown) return digit;
  return '2';
}

/**
 * The canonical mode an `MDn` set means on this radio (the K3's DT sub-mode survives an MD change).
 * On the TS-590SG an `MD` set means the plain mode: Hamlib 4.5.4 switches PKTUSB back to USB with
 * `MD2;` alone when its cache already knows the data flag (seen in our contract test), and sends
 * `DA1;` after `MD` when it wants data. Undefined: the radio rejects the digit.
 */
export function modeFromDigit(profile: KenwoodProfile, digit: string, k3SubMode: number): Mode | undefined {
  if (profile.data_mode === 'k3_dt' && (digit === '6' || digit === '9')) {
    if (k3SubMode === K3_FSK_D) return digit === '6' ? 'RTTY' : 'RTTYR';
    return digit === '6' ? 'PKTUSB' : 'PKTLSB';
  }
  return digitsOf(profile).get(digit);
}

/** TS-590SG `DA`: the mode after turning data on or off. */
export function withDataFlag(current: Mode, on: boolean): Mode {
  if (!on) return baseOf(current);
  const base = baseOf(current);
  return DA_CAPABLE.includes(base) ? (DATA_OF[base] ?? current) : current;
}

/**
 * PowerSDR/Thetis `ZZMD` numbers (Hamlib's powersdr_mode_table): 00 LSB, 01 USB, 02 DSB, 03 CWL, 04 CWU,
 * 05 FM, 06 AM, 07 DIGU, 08 SPEC, 09 DIGL, 10 SAM, 11 DRM. DSB, SPEC, SAM and DRM have no canonical mode.
 */
const ZZ_MODES: Readonly<Record<string, Mode>> = {
  '00': 'LSB',
  '01': 'USB',
  '03': 'CWR',
  '04': 'CW',
  '05': 'FM',
  '06': 'AM',
  '07': 'PKTUSB',
  '09': 'PKTLSB',
};

/** The `ZZMD` number a canonical mode shows as (RTTY on DIGU/DIGL, the nearest the SDR programs have). */
export function zzModeNumber(mode: Mode): string {
  const shown =
    mode === 'RTTY' ? 'PKTUSB' : mode === 'RTTYR' ? 'PKTLSB' : mode === 'WFM' ? 'FM' : baseOrSelf(mode);
  for (const [number, m] of Object.entries(ZZ_MODES)) if (m === shown) return number;
  return '01';
}

/** The canonical mode of a `ZZMD` number; undefined for one with none (DSB, SPEC, SAM, DRM) or no such number. */
export function modeFromZzNumber(number: string): Mode | undefined {
  return ZZ_MODES[number];
}

/** PKTFM/PKTAM show as FM/AM (no data flavour in ZZMD); the data modes keep their own numbers. */
function baseOrSelf(mode: Mode): Mode {
  return mode === 'PKTFM' || mode === 'PKTAM' ? baseOf(mode) : mode;
}
