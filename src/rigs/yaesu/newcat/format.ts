import type { RigReads, Vfo } from '../../../model/rig.js';
import { digits } from '../../semicolon/dialect.js';
import { modeChar } from './modes.js';

/**
 * The `IF` (and `OI`, the other VFO) answer: 27 characters + `;`, field by field as research/hamlib.md
 * §5.2. Hamlib reads the frequency (5-13), the mode (21) and VFO/memory (22, `0` = VFO).
 */
export function infoAnswer(prefix: 'IF' | 'OI', state: RigReads, vfo: Vfo): string {
  return [
    prefix,
    '001', // memory channel
    digits(state.freq(vfo), 9), // frequency (5-13)
    '+0000', // clarifier offset
    '0', // RX clarifier off
    '0', // TX clarifier off
    modeChar(state.mode(vfo).mode), // mode (21)
    '0', // VFO (22): Hamlib reads MEM when this is not 0
    '0', // CTCSS off
    '00', // fixed
    '0', // simplex
  ].join('');
}
