import type { Mode } from '../../model/rig.js';

/**
 * flrig names modes after the transceiver it drives (`rig.get_modes`, research/flrig.md §3.5):
 * TS-2000 `FSK`, IC-7300 `USB-D`, FT-991A `DATA-U`, `CW-U`, `RTTY-L`. These are the names and what
 * they mean in Hamlib's vocabulary; data modes map to data modes both ways (lossless). Narrow
 * variants (`FM-N`, `AM-N`) read as their mode; a set picks the plain name first.
 */
const MEANINGS: Record<string, Mode> = {
  LSB: 'LSB',
  USB: 'USB',
  AM: 'AM',
  'AM-N': 'AM',
  FM: 'FM',
  'FM-N': 'FM',
  NFM: 'FM',
  WFM: 'WFM',
  'W-FM': 'WFM',
  CW: 'CW',
  'CW-U': 'CW',
  'CW-USB': 'CW',
  'CW-R': 'CWR',
  'CW-L': 'CWR',
  'CW-LSB': 'CWR',
  CWR: 'CWR',
  RTTY: 'RTTY',
  FSK: 'RTTY',
  'RTTY-L': 'RTTY',
  'RTTY-LSB': 'RTTY',
  'RTTY-R': 'RTTYR',
  'FSK-R': 'RTTYR',
  'RTTY-U': 'RTTYR',
  'RTTY-USB': 'RTTYR',
  'USB-D': 'PKTUSB',
  'DATA-U': 'PKTUSB',
  'D-USB': 'PKTUSB',
  'PKT-U': 'PKTUSB',
  'DIG-U': 'PKTUSB',
  DATA: 'PKTUSB',
  'LSB-D': 'PKTLSB',
  'DATA-L': 'PKTLSB',
  'D-LSB': 'PKTLSB',
  'PKT-L': 'PKTLSB',
  'DIG-L': 'PKTLSB',
  'FM-D': 'PKTFM',
  'DATA-FM': 'PKTFM',
  'PKT-FM': 'PKTFM',
  'AM-D': 'PKTAM',
};

/** The canonical mode of a flrig mode name, or undefined for one with no canonical meaning (C4FM, DV). */
export function modeFromFlrig(name: string): Mode | undefined {
  return MEANINGS[name.trim().toUpperCase()];
}

/** One transceiver's mode names (from `rig.get_modes`), both ways. */
export class FlrigModeMap {
  private readonly toFlrig = new Map<Mode, string>();

  constructor(readonly names: readonly string[]) {
    for (const name of names) {
      const mode = modeFromFlrig(name);
      // The first name wins, except that an exact canonical name beats a variant (FM before FM-N).
      if (mode && (!this.toFlrig.has(mode) || name.toUpperCase() === mode)) this.toFlrig.set(mode, name);
    }
  }

  /** The name to send for a canonical mode, or undefined if this transceiver has none. */
  nameFor(mode: Mode): string | undefined {
    return this.toFlrig.get(mode);
  }
}
