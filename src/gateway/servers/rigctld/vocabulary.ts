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

/**
 * A mode as rigctld 4.5.4 prints it (rig_strrmode takes the first name Hamlib's table has for a mode):
 * `FM-D` and `AM-D` for PKTFM and PKTAM, the canonical name otherwise (test/doors/fixtures/
 * rigctld-modes.json). Either name is taken in a set (parseModeName).
 */
export function hamlibModeName(mode: Mode): string {
  return mode === 'PKTFM' ? 'FM-D' : mode === 'PKTAM' ? 'AM-D' : mode;
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
 * rigctl's one-letter commands (Hamlib 4.5.4 rigctl_parse.c) with the long name extended answers print:
 * those the door does not serve are answered as a rig without them is (RPRT -11). Anything else is not
 * a command at all (RPRT -1).
 */
export const HAMLIB_SHORT_COMMANDS: ReadonlyMap<string, string> = new Map(
  (
    'F set_freq f get_freq M set_mode m get_mode I set_split_freq i get_split_freq X set_split_mode ' +
    'x get_split_mode K set_split_freq_mode k get_split_freq_mode S set_split_vfo s get_split_vfo ' +
    'N set_ts n get_ts L set_level l get_level U set_func u get_func P set_parm p get_parm G vfo_op ' +
    'g scan A set_trn a get_trn R set_rptr_shift r get_rptr_shift O set_rptr_offs o get_rptr_offs ' +
    'C set_ctcss_tone c get_ctcss_tone D set_dcs_code d get_dcs_code V set_vfo v get_vfo T set_ptt ' +
    't get_ptt E set_mem e get_mem H set_channel h get_channel B set_bank _ get_info J set_rit ' +
    'j get_rit Z set_xit z get_xit Y set_ant y get_ant * reset w send_cmd W send_cmd_rx b send_morse ' +
    '2 power2mW 4 mW2power 1 dump_caps 3 dump_conf'
  )
    .split(' ')
    .flatMap((word, i, words) => (i % 2 === 0 ? [[word, words[i + 1]!] as const] : [])),
);

/** rigctl's long command names (Hamlib 4.5.4), for the same purpose. */
export const HAMLIB_LONG_COMMANDS: ReadonlySet<string> = new Set([
  ...HAMLIB_SHORT_COMMANDS.values(),
  ...(
    'stop_morse wait_morse send_voice_mem get_dcd set_twiddle get_twiddle uplink set_cache get_cache ' +
    'dump_state chk_vfo set_vfo_opt get_vfo_info get_rig_info get_vfo_list get_modes get_clock set_clock ' +
    'halt pause password set_password get_mode_bandwidths set_separator get_separator set_lock_mode ' +
    'get_lock_mode send_raw set_powerstat get_powerstat send_dtmf recv_dtmf'
  ).split(' '),
]);
