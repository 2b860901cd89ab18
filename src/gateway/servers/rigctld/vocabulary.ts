import { type Mode, type RigReads, transmitVfo, type Vfo } from '../../../model/rig.js';

/**
 * Hamlib's names and bit masks as rigctld 4.5.4 writes them on the wire (rig.h), for the rigctld door.
 * Facts, not behaviour: the door's command table uses them.
 */

/** Hamlib RPRT codes (enum rig_errcode_e; research/hamlib.md §9). */
export const RPRT = {
  OK: 0,
  EINVAL: -1,
  EIO: -6,
  ERJCTED: -9,
  ENAVAIL: -11,
} as const;

/**
 * A VFO argument as Hamlib clients send it: VFOA/VFOB, the Main/Sub names of dual-receiver rigs (our
 * Main ≡ VFOA, Sub ≡ VFOB, DESIGN.md), and the relative names (currVFO, RX, TX).
 */
export function parseVfo(text: string, rig: RigReads): Vfo | undefined {
  switch (text) {
    case 'VFOA':
    case 'Main':
    case 'MainA':
    case 'A':
      return 'VFOA';
    case 'VFOB':
    case 'Sub':
    case 'MainB':
    case 'B':
      return 'VFOB';
    case 'currVFO':
    case 'VFO':
    case 'RX':
      return rig.vfo();
    case 'TX':
      return transmitVfo(rig);
    default:
      return undefined;
  }
}

/** Hamlib's rmode_t bits of the canonical modes (PKTAM is bit 22). */
export const MODE_BITS: Record<Mode, number> = {
  AM: 0x1,
  CW: 0x2,
  USB: 0x4,
  LSB: 0x8,
  RTTY: 0x10,
  FM: 0x20,
  WFM: 0x40,
  CWR: 0x80,
  RTTYR: 0x100,
  PKTLSB: 0x400,
  PKTUSB: 0x800,
  PKTFM: 0x1000,
  PKTAM: 0x400000,
};

/** The levels the door serves: RF power (settable, float) and the S-meter (read-only, dB to S9). */
export const LEVEL_BITS = { RFPOWER: 1 << 12, STRENGTH: 2 ** 30 } as const;

/**
 * Levels Hamlib knows that the door does not serve: RPRT -11 (not available) rather than -1 (no such
 * level), as rigctld answers for a rig without them.
 */
export const OTHER_HAMLIB_LEVELS = new Set(
  (
    'PREAMP ATT VOXDELAY AF RF SQL IF APF NR PBT_IN PBT_OUT CWPITCH MICGAIN KEYSPD NOTCHF COMP AGC BKINDL ' +
    'BAL METER VOXGAIN ANTIVOX SLOPE_LOW SLOPE_HIGH BKIN_DLYMS RAWSTR SWR ALC RFPOWER_METER COMP_METER ' +
    'VD_METER ID_METER NOTCHF_RAW MONITOR_GAIN NB RFPOWER_METER_WATTS SPECTRUM_MODE SPECTRUM_SPAN ' +
    'SPECTRUM_EDGE_LOW SPECTRUM_EDGE_HIGH SPECTRUM_SPEED SPECTRUM_REF SPECTRUM_AVG SPECTRUM_ATT TEMP_METER ' +
    'BAND_SELECT USB_AF AGC_TIME'
  ).split(' '),
);

/**
 * rigctl's other one-letter commands (RIT, XIT, functions, memories, tuning steps, …): a rig without
 * them answers RPRT -11. Anything else is not a command at all (RPRT -1).
 */
export const OTHER_HAMLIB_COMMANDS = new Set([...'jJzZuUpPgGaArRoOcCdDeEhHnNyYbBwW_234567890*']);
