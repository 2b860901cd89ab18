import type { Mode } from '../../../model/rig.js';
import type { LegacyProfile } from './profile.js';

/** The `03` mode byte and `07` P1 (research/hamlib.md §6.1). Bit 7 is "narrow" on reads. */
export const DIG = 0x0a;

const BYTE_TO_MODE: Record<number, Mode> = {
  0: 'LSB',
  1: 'USB',
  2: 'CW',
  3: 'CWR',
  4: 'AM',
  6: 'WFM',
  8: 'FM',
  12: 'PKTFM', // PKT: FM packet
};

/** The mode byte a canonical mode shows as; every data mode but PKTFM is DIG, told apart by the EEPROM sub-mode. */
export function modeByte(mode: Mode): number {
  switch (mode) {
    case 'PKTUSB':
    case 'PKTLSB':
    case 'RTTY':
    case 'RTTYR':
      return DIG;
    case 'PKTAM':
      return 0x04;
    default:
      for (const [byte, m] of Object.entries(BYTE_TO_MODE)) if (m === mode) return Number(byte);
      return 0x01;
  }
}

/** The canonical mode of a non-DIG `07` P1 (narrow variants read as their base); undefined: no such mode. */
export function modeFromByte(byte: number): Mode | undefined {
  return BYTE_TO_MODE[byte] ?? BYTE_TO_MODE[byte & 0x7f];
}

/**
 * The DIG sub-mode (index into the profile's `dig_submodes`) the radio shows for a mode, given the one it
 * had: the same if it still shows this mode (PSK-U stays PSK-U in PKTUSB), else the last that shows it
 * (USER-U for PKTUSB), else the one it had (the menu keeps its value while the radio is in USB).
 */
export function digSubModeFor(profile: LegacyProfile, mode: Mode, had: number): number {
  const shows = (i: number) => {
    const sub = profile.dig_submodes[i];
    return sub !== undefined && (sub.mode === mode || sub.also.includes(mode));
  };
  if (shows(had)) return had;
  for (let i = profile.dig_submodes.length - 1; i >= 0; i--) if (shows(i)) return i;
  return had;
}

/** The canonical mode DIG means with this sub-mode. */
export function digMode(profile: LegacyProfile, subMode: number): Mode {
  return profile.dig_submodes[subMode]?.mode ?? 'PKTUSB';
}

/** The index of the profile's default DIG sub-mode. */
export function defaultDigSubMode(profile: LegacyProfile): number {
  return Math.max(
    0,
    profile.dig_submodes.findIndex((s) => s.name === profile.dig_default),
  );
}
