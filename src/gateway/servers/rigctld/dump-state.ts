import { MODES } from '../../../model/rig.js';
import type { FrequencyRange } from '../../backends/backend.js';
import { LEVEL_BITS, MODE_BITS } from './vocabulary.js';

/**
 * The door's answer to `\dump_state`: rigctld 4.5.4's protocol-1 block (research/hamlib.md §9), which
 * Hamlib's NET client (`rigctl -m 2`, WSJT-X's "Hamlib NET rigctl") reads at open to learn the radio.
 * It describes what the door serves, not every knob of the radio behind: a client that believed in a
 * capability the door answers with RPRT -11 would report errors to its user.
 */

/** When the backend does not say (sim, flrig): an HF/6 m transceiver with 2 m and 70 cm, like most shacks. */
export const DEFAULT_RANGES: readonly FrequencyRange[] = [
  { fromHz: 30_000, toHz: 60_000_000 },
  { fromHz: 144_000_000, toHz: 148_000_000 },
  { fromHz: 430_000_000, toHz: 450_000_000 },
];

export const ALL_MODES = MODES.reduce((mask, mode) => mask | MODE_BITS[mode], 0);
const hex = (n: number) => `0x${n.toString(16)}`;
/** VFOA | VFOB: the client then names them so (a Main/Sub mask makes it send `V Sub`). */
export const VFO_MASK = 0x3;

/** TX power the ranges claim, mW: a typical 100 W transceiver (clients only show it). */
export const TX_POWER_MW = { low: 5000, high: 100_000 } as const;

/** Default passbands per mode group, as rigctld lists them (`modes width`). */
export const FILTERS: [number, number][] = [
  [MODE_BITS.USB | MODE_BITS.LSB | MODE_BITS.PKTUSB | MODE_BITS.PKTLSB, 2400],
  [MODE_BITS.USB | MODE_BITS.LSB | MODE_BITS.PKTUSB | MODE_BITS.PKTLSB, 3000],
  [MODE_BITS.USB | MODE_BITS.LSB | MODE_BITS.PKTUSB | MODE_BITS.PKTLSB, 1800],
  [MODE_BITS.CW | MODE_BITS.CWR, 500],
  [MODE_BITS.CW | MODE_BITS.CWR, 2400],
  [MODE_BITS.RTTY | MODE_BITS.RTTYR, 300],
  [MODE_BITS.AM | MODE_BITS.PKTAM, 6000],
  [MODE_BITS.FM | MODE_BITS.PKTFM, 15000],
  [MODE_BITS.WFM, 230000],
];

export interface DumpStateOptions {
  /** The backend's ranges, or null when it does not say. */
  ranges: readonly FrequencyRange[] | null;
  /** `\chk_vfo` was sent first on this connection: rigctld then adds the `key=value` lines. */
  withKeys: boolean;
}

/** The ranges the door reports: the backend's, or DEFAULT_RANGES when it does not say. */
export function doorRanges(ranges: readonly FrequencyRange[] | null): readonly FrequencyRange[] {
  return ranges && ranges.length > 0 ? ranges : DEFAULT_RANGES;
}

export function dumpState(options: DumpStateOptions): string {
  const ranges = doorRanges(options.ranges);
  const range = (r: FrequencyRange, power: string) =>
    `${r.fromHz}.000000 ${r.toHz}.000000 ${hex(ALL_MODES)} ${power} ${hex(VFO_MASK)} 0x1`;
  const lines = [
    '1', // protocol version
    '1', // rig model: the door is not a model of its own; 1 (Hamlib's dummy) triggers no model quirks
    '0', // ITU region
    ...ranges.map((r) => range(r, '-1 -1')),
    '0 0 0 0 0 0 0',
    ...ranges.map((r) => range(r, `${TX_POWER_MW.low} ${TX_POWER_MW.high}`)),
    '0 0 0 0 0 0 0',
    `${hex(ALL_MODES)} 1`, // tuning steps: 1 Hz in every mode
    '0 0',
    ...FILTERS.map(([modes, width]) => `${hex(modes)} ${width}`),
    '0 0',
    '0', // max RIT
    '0', // max XIT
    '0', // max IF shift
    '0', // announces
    '0 ', // preamps: none (the list ends at 0)
    '0 ', // attenuators: none
    '0x0', // has_get_func
    '0x0', // has_set_func
    hex(LEVEL_BITS.RFPOWER + LEVEL_BITS.STRENGTH), // has_get_level
    hex(LEVEL_BITS.RFPOWER), // has_set_level
    '0x0', // has_get_parm
    '0x0', // has_set_parm
  ];
  if (options.withKeys) {
    lines.push(
      'vfo_ops=0x0',
      'ptt_type=0x1', // PTT through the rig (CAT): the client sends T
      // Not targetable: Hamlib's NET client outside VFO mode sends a bare `f` for get_freq(VFOB) on a
      // targetable rig and reads VFO A (rigctl -m 2 `i` against rigctld -m 1 does); untargetable, it selects
      // B, reads and selects A back — a probe the settle window keeps off the radio.
      'targetable_vfo=0x0',
      'has_set_vfo=1',
      'has_get_vfo=1',
      'has_set_freq=1',
      'has_get_freq=1',
      'has_set_conf=0',
      'has_get_conf=0',
      'has_power2mW=0',
      'has_mW2power=0',
      'timeout=0',
      'rig_model=1',
      'rigctld_version=Hamlib 4.5.4 protocol (catbridge rigctld door)',
      'done',
    );
  }
  return `${lines.join('\n')}\n`;
}
