import type { Mode } from '../../model/rig.js';

/** CI-V operating-mode bytes (research/hamlib.md §4.1). DV (0x17) exists on the IC-705 and IC-9700. */
export const ICOM_MODE_BYTES = {
  LSB: 0x00,
  USB: 0x01,
  AM: 0x02,
  CW: 0x03,
  RTTY: 0x04,
  FM: 0x05,
  WFM: 0x06,
  CWR: 0x07,
  RTTYR: 0x08,
  DV: 0x17,
} as const;
export type IcomModeName = keyof typeof ICOM_MODE_BYTES;

/** The canonical data modes are a base mode plus the radio's DATA flag (`26 … <data>` or `1A 06`). */
const DATA_OF: Partial<Record<IcomModeName, Mode>> = {
  USB: 'PKTUSB',
  LSB: 'PKTLSB',
  FM: 'PKTFM',
  AM: 'PKTAM',
};

/** A canonical mode as the radio shows it: mode byte, DATA flag. DV has no canonical name and never comes back. */
export function icomModeOf(mode: Mode): { name: IcomModeName; data: boolean } {
  for (const [name, data] of Object.entries(DATA_OF)) {
    if (data === mode) return { name: name as IcomModeName, data: true };
  }
  return { name: mode as IcomModeName, data: false };
}

/** The canonical mode for a mode byte and DATA flag; undefined when this radio has no such mode. */
export function modeFromIcom(byte: number, data: boolean, modes: readonly IcomModeName[]): Mode | undefined {
  const name = modes.find((m) => ICOM_MODE_BYTES[m] === byte);
  if (!name || name === 'DV') return undefined;
  if (!data) return name;
  return DATA_OF[name];
}

/** Filter-width index (`1A 03`) and Hz, as the radios and Hamlib count them (research/hamlib.md §4.2). */
export function widthFromIndex(index: number, am: boolean): number {
  if (am) return (index + 1) * 200;
  return index <= 9 ? (index + 1) * 50 : (index - 4) * 100;
}

/** The index whose width is nearest `hz` (SSB/CW/RTTY/data: 0–40; AM: 0–49). */
export function indexFromWidth(hz: number, am: boolean): number {
  if (am) return clamp(Math.round(hz / 200) - 1, 0, 49);
  if (hz <= 500) return clamp(Math.round(hz / 50) - 1, 0, 9);
  return clamp(Math.round(hz / 100) + 4, 10, 40);
}

function clamp(n: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, n));
}

/** Which preset table (profile `filters`) a mode's FIL1/FIL2/FIL3 come from. */
export function filterGroup(mode: Mode): 'ssb' | 'cw' | 'rtty' | 'am' | 'fm' | 'wfm' {
  switch (mode) {
    case 'CW':
    case 'CWR':
      return 'cw';
    case 'RTTY':
    case 'RTTYR':
      return 'rtty';
    case 'AM':
    case 'PKTAM':
      return 'am';
    case 'FM':
    case 'PKTFM':
      return 'fm';
    case 'WFM':
      return 'wfm';
    default:
      return 'ssb';
  }
}
