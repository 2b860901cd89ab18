import { z } from 'zod';
import { MODES } from '../../../model/rig.js';
import { type CommonProfile, commonProfileKeys } from '../../profile-common.js';

const address = z.number().int().min(0).max(0xffff);

/**
 * A Yaesu 5-byte binary CAT model (FT-817, FT-818, FT-857, FT-897) as data (research/hamlib.md §6;
 * FT-818 and FT-897 captures in test/rigs/yaesu/fixtures/hamlib-4.5.4).
 */
export const legacyProfileSchema = z.strictObject({
  ...commonProfileKeys,
  family: z.literal('yaesu_legacy'),
  /**
   * Answer every set with a one-byte `0x00` ACK. Hamlib 4.5.4 waits for it after each set and, when it
   * never comes, stalls one full timeout (3 s on the FT-817) before giving up on ACKs for the session;
   * some real units send none, so it can be turned off.
   */
  ack: z.boolean().default(true),
  /**
   * An inter-byte gap at least this long starts a new frame: a stream that lost a byte realigns at the
   * client's next command instead of staying shifted forever. Hamlib writes a frame in 5-25 ms (1-5 ms per
   * byte) and waits at least 200 ms for an answer before its next command.
   */
  resync_gap_ms: z.number().int().min(10).max(10_000).default(100),
  /** The EEPROM addresses Hamlib reads with `BB`, kept consistent with the radio's state. */
  eeprom: z.strictObject({
    /** Bit 0: 1 = VFO B (FT-817/818 0x55, FT-857/897 0x68). */
    vfo: address,
    /** Bit 7: split (FT-817/818 0x7A, FT-857/897 0x8D). */
    split: address,
    /** Bits 7-5: the DIG sub-mode, an index into `dig_submodes` (FT-817/818 0x65, FT-857/897 0x78). */
    dig_mode: address,
  }),
  /**
   * The DIG sub-modes in EEPROM order, with the mode Hamlib reads each as (`mode`) and any other mode
   * the radio shows with it (`also`). A backend mode selects the last sub-mode that shows it, so a data
   * mode is USER-U/L rather than PSK.
   */
  dig_submodes: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        mode: z.enum(MODES),
        also: z.array(z.enum(MODES)).default([]),
      }),
    )
    .min(1)
    .max(8),
  /** The sub-mode a radio whose DIG was never set up here starts with (USER-U: PKTUSB). */
  dig_default: z.string().min(1),
  /** Full RF power in watts (the TX status' power bars scale to it). */
  max_power_w: z.number().positive(),
});

export type LegacyProfile = z.infer<typeof legacyProfileSchema> & CommonProfile;
