import { type RigReads, transmitVfo, type Vfo } from '../../model/rig.js';
import { rawFor } from '../calibration.js';
import { digits } from '../semicolon/dialect.js';
import { modeDigit } from './modes.js';
import type { KenwoodProfile } from './profile.js';

export function vfoDigit(vfo: Vfo): string {
  return vfo === 'VFOA' ? '0' : '1';
}

/**
 * The `IF` answer: `IF` + 35 characters (38 bytes with `;`), field by field as research/hamlib.md §3.3.
 * While transmitting in split the real radio shows the TX VFO and its frequency (P1, P10); Hamlib
 * compensates for that itself, so we show what the radio shows.
 */
export function ifAnswer(profile: KenwoodProfile, state: RigReads): string {
  const shown: Vfo = state.ptt() && state.split() ? transmitVfo(state) : state.vfo();
  const mode = state.mode(shown).mode;
  return [
    'IF',
    digits(state.freq(shown), 11), // P1 frequency (idx 2-12)
    '0000', // P2 step / unused (13-16)
    '+00000', // P3 RIT/XIT offset (17-22)
    '0', // P4 RIT off
    '0', // P5 XIT off
    '0', // P6 memory bank
    '00', // P7 memory channel
    state.ptt() ? '1' : '0', // P8 TX/RX (idx 28): Hamlib's get_ptt
    modeDigit(profile, mode), // P9 mode (29)
    vfoDigit(shown), // P10 VFO (30): Hamlib's get_vfo
    '0', // P11 scan
    state.split() ? '1' : '0', // P12 split (32): Hamlib's get_split_vfo
    '0', // P13 tone
    '00', // P14 tone number
    '0', // P15 shift
  ].join('');
}

/** Raw S-meter reading for a strength in dB over S9, on this radio's calibrated scale. */
export function smeterRaw(profile: KenwoodProfile, strengthDb: number): number {
  return rawFor(profile.smeter.calibration, strengthDb);
}
