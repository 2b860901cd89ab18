import { z } from 'zod';
import { calibrationSchema } from '../calibration.js';
import { type CommonProfile, commonProfileKeys } from '../profile-common.js';
import { ICOM_MODE_BYTES, type IcomModeName } from './modes.js';

const HEX = /^[0-9A-Fa-f]{2}( ?[0-9A-Fa-f]{2})*$/;
const hexBytes = z
  .string()
  .regex(HEX, 'hex bytes, e.g. "14 01" or "0128"')
  .transform((s) => s.replace(/ /g, '').toUpperCase());
const presets = z.array(z.number().int().positive()).length(3);

/**
 * An Icom CI-V model as data (STYLE.md: a quirk is a named flag). The family code holds the frame
 * format and the command set Hamlib 4.5.4 uses (research/hamlib.md §4); the profile says which radio
 * this is and what it answers beyond the canonical model.
 */
export const icomProfileSchema = z.strictObject({
  ...commonProfileKeys,
  family: z.literal('icom'),
  /** The radio's default CI-V address (IC-7300 0x94, IC-705 0xA4, IC-9700 0xA2, IC-7610 0x98); a port may override it. */
  civ_address: z.number().int().min(0x01).max(0xdf),
  /** Full RF power in watts (for the power meter). */
  max_power_w: z.number().positive(),
  /** The operating modes the radio has, by CI-V name. A mode byte not listed is refused with NG. */
  modes: z.array(z.enum(Object.keys(ICOM_MODE_BYTES) as [IcomModeName, ...IcomModeName[]])).min(1),
  /** Main/Sub receivers (IC-7610, IC-9700): `07 D0`/`07 D1` select Main (≡ VFO A) or Sub (≡ VFO B). */
  dual_receiver: z.boolean().default(false),
  /** The satellite-mode query `16 5A` Hamlib's IC-9700 backend sends; answered "off". */
  satellite: z.boolean().default(false),
  /** FIL1/FIL2/FIL3 widths in Hz per mode group; a mode set with a filter number takes that width. */
  filters: z.strictObject({
    ssb: presets,
    cw: presets,
    rtty: presets,
    am: presets,
    fm: presets,
    wfm: presets.optional(),
  }),
  /** S-meter (`15 02`): [raw, dB over S9] points, ascending, as the radio's calibration (Hamlib's str_cal). */
  smeter: calibrationSchema,
  /** RF power meter (`15 11`): [raw, watts] points, ascending, as the radio's calibration. */
  power_meter: calibrationSchema,
  /**
   * The supply meters (`15 15` Vd, `15 16` Id), on the radio's own scale: Vd's reading at 13.8 V, and
   * Id's at full RF power (0 in receive). Absent: the radio has no such meters and answers NG.
   */
  supply_meters: z
    .strictObject({
      vd_raw: z.number().int().min(0).max(255),
      id_raw_full_power: z.number().int().min(0).max(255),
    })
    .optional(),
  /**
   * Commands of the family this radio does not have (command or command + sub-command, hex): NG, as
   * the real radio answers. The IC-7100 and IC-706MkIIG have no `25`/`26`; the IC-706MkIIG no `1A 06`.
   */
  lacks: z.array(hexBytes).default([]),
  /**
   * What the real radio answers to reads the canonical model does not hold (levels `14 xx`, functions
   * `16 xx`, menu items `1A 05 xxxx`, …): command and sub-command → data, in hex. A set of the same
   * length is accepted and read back on this port, as the real radio would.
   */
  answers: z.record(z.string().regex(HEX), hexBytes).default({}),
  /**
   * Sets the radio acknowledges with FB that change nothing catbridge holds (clock, menu items), as
   * hex patterns where `??` is any byte: `1A 05 ?? ??` takes any menu write. Only frames longer than
   * the pattern match, so a read of the same item is not mistaken for a set.
   */
  accept: z
    .array(
      z
        .string()
        .regex(/^([0-9A-Fa-f?]{2})( ?[0-9A-Fa-f?]{2})*$/, 'hex bytes or ??, e.g. "1A 05 ?? ??"')
        .transform((s) => s.replace(/ /g, '').toUpperCase()),
    )
    .default([]),
});

export type IcomProfile = z.infer<typeof icomProfileSchema> & CommonProfile;
