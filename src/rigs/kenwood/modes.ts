import type { Mode } from '../../model/rig.js';
import type { KenwoodProfile } from './profile.js';

/**
 * Kenwood `MD` digits (research/hamlib.md §3.3, kenwood_mode_table). The letters C–F are Hamlib's
 * packet modes; only radios whose profile allows them accept them (none of the four here do: the
 * TS-2000 answers `MDD;` with `?;`, and Hamlib takes the `?;ID019;` as success).
 */
const DIGIT_TO_MODE: Record<string, Mode> = {
  '1': 'LSB',
  '2': 'USB',
  '3': 'CW',
  '4': 'FM',
  '5': 'AM',
  '6': 'RTTY',
  '7': 'CWR',
  '9': 'RTTYR',
};

/** TS-890S `MD` digits for the data modes (Hamlib's kenwood_mode_table 12–15: C PKTLSB … F PKTAM). */
const HEX_DIGIT_MODE: Readonly<Record<string, Mode>> = { C: 'PKTLSB', D: 'PKTUSB', E: 'PKTFM', F: 'PKTAM' };

/** The base mode a data mode is built on, and back. */
const DATA_BASE: Partial<Record<Mode, Mode>> = { PKTUSB: 'USB', PKTLSB: 'LSB', PKTFM: 'FM', PKTAM: 'AM' };
const DATA_OF: Partial<Record<Mode, Mode>> = { USB: 'PKTUSB', LSB: 'PKTLSB', FM: 'PKTFM', AM: 'PKTAM' };

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

/** The `MD` digit a radio of this profile shows for a canonical mode. */
export function modeDigit(profile: KenwoodProfile, mode: Mode): string {
  if (profile.data_mode === 'k3_dt') {
    // K3: DATA (6) and DATA-REV (9) carry both data modes and FSK D (research/hamlib.md §3.3).
    if (mode === 'PKTUSB' || mode === 'RTTY' || mode === 'PKTAM' || mode === 'PKTFM') return '6';
    if (mode === 'PKTLSB' || mode === 'RTTYR') return '9';
  }
  if (profile.data_mode === 'md_hex') {
    // TS-890S: the data modes have MD digits of their own, C-F (kenwood_mode_table 12-15).
    for (const [digit, m] of Object.entries(HEX_DIGIT_MODE)) if (m === mode) return digit;
  }
  if (profile.data_mode === 'flex') {
    // Flex SmartSDR: DIGL (6) and DIGU (9) replace FSK; RTTY has no digit of its own (flex6xxx.c).
    if (mode === 'PKTUSB' || mode === 'RTTY') return '9';
    if (mode === 'PKTLSB' || mode === 'RTTYR') return '6';
  }
  const base = baseOf(mode);
  for (const [digit, m] of Object.entries(DIGIT_TO_MODE)) if (m === base) return digit;
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
  if (profile.data_mode === 'md_hex') {
    const mode = HEX_DIGIT_MODE[digit];
    if (mode) return mode;
  }
  if (profile.data_mode === 'flex') {
    if (digit === '6' || digit === '9') return digit === '6' ? 'PKTLSB' : 'PKTUSB';
    if (digit === '7') return undefined; // no FSK-reverse on a Flex (flex_mode_table[7] is none)
  }
  return DIGIT_TO_MODE[digit];
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
