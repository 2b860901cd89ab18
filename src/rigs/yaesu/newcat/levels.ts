import type { RigReads } from '../../../model/rig.js';
import { digits } from '../../semicolon/dialect.js';
import type { NewcatProfile } from './profile.js';

/** Raw `SM0` (0-255) for a strength in dB over S9, linear below and above S9 as the bar graph (S0 = -54 dB). */
export function smeterRaw(profile: NewcatProfile, strengthDb: number): number {
  const { s0, s9, max } = profile.smeter;
  if (strengthDb <= 0) return Math.max(0, s0 + ((strengthDb + 54) / 54) * (s9 - s0));
  return Math.min(max, s9 + (strengthDb / 60) * (max - s9));
}

/**
 * `RMn` answer digits: meter n, 0-255. In transmit, PO (5) follows the RF power setting on the radio's
 * meter scale and SWR (6) reads 1:1; in receive every meter but the S-meter (1) reads 0.
 */
export function meterRaw(profile: NewcatProfile, state: RigReads, meter: number): string {
  let raw = 0;
  if (meter === 1) raw = smeterRaw(profile, state.strengthDb());
  if (meter === 5 && state.ptt()) raw = state.rfPower() * profile.po_meter_full;
  return digits(raw, 3);
}

/** `DT0` date (yyyymmdd), `DT1` time (hhmmss), `DT2` UTC offset: a clock's reading, in UTC. */
export function clockAnswer(which: '0' | '1' | '2', now: Date): string {
  const iso = now.toISOString(); // 2026-11-26T21:41:32.000Z
  if (which === '0') return `DT0${iso.slice(0, 10).replaceAll('-', '')}`;
  if (which === '1') return `DT1${iso.slice(11, 19).replaceAll(':', '')}`;
  return 'DT2+0000';
}
