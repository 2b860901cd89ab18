import { z } from 'zod';
import { type CommonProfile, commonProfileKeys } from '../../profile-common.js';

const commandName = z.string().regex(/^[A-Z][A-Z0-9]*$/);
/** Filter widths in Hz by `SH` index (index 0 is the radio's default for the mode). */
const widthTable = z.array(z.number().int().min(0)).min(2);

/**
 * A Yaesu "newcat" model (FT-991A, FTDX10, FT-891, FTDX101D, …) as data. The family code holds the
 * formats; the profile says which radio it is and which of the family's variations it has
 * (research/hamlib.md §5; captures of the models not in it: test/rigs/yaesu/fixtures/hamlib-4.5.4).
 */
export const newcatProfileSchema = z.strictObject({
  ...commonProfileKeys,
  family: z.literal('yaesu_newcat'),
  /** The `ID;` answer's digits, as the real radio answers (FT-991A 0670, FTDX10 0761, FT-891 0650, FTDX101D 0681). */
  id: z.string().regex(/^\d{4}$/, 'four digits, e.g. "0670"'),
  /**
   * `VS` selects VFO A/B (FTDX10, FTDX101D); then `MD0`/`SH0`/`NA0` are VFO A (Main) and `MD1`/`SH1`/`NA1`
   * VFO B (Sub). Without it (FT-991, FT-891) `MD0` and `SH0` are the current VFO, and Hamlib keeps the
   * selected VFO in its own head.
   */
  vfo_select: z.boolean().default(false),
  /**
   * How `SH` carries the width index: `SH0nn` (FT-991), `SH00nn` (FTDX10, FTDX101D: P2 fixed 0),
   * `SH01nn` (FT-891: P2 = 1, what Hamlib writes; research captures widths_*.txt).
   */
  width_format: z.enum(['SH0nn', 'SH00nn', 'SH01nn']),
  /** Width tables by `SH` index: SSB, and the narrow one for CW, RTTY and DATA (as Hamlib 4.5.4 maps them). */
  widths: z.strictObject({ ssb: widthTable, narrow: widthTable }),
  /** The width a mode gets when it is selected (passband 0 = "the rig's default"), in Hz. */
  default_widths: z.strictObject({
    ssb: z.number().int().positive(),
    cw: z.number().int().positive(),
    data: z.number().int().positive(),
  }),
  /** `MD` characters this radio accepts (1 LSB … C DATA-USB … E C4FM, F DATA-FMN); others answer `?;`. */
  mode_chars: z.string().regex(/^[1-9A-F]+$/),
  /** Full RF power in watts: `PC100;` means this. */
  max_power_w: z.number().positive(),
  /**
   * The meter scales, raw 0-255: `SM0nnn` at S0 (default 0), S9 and S9+60 dB, linear between as the bar
   * graph; `RM5` (PO) at full power, the radio's meter scale (FT-991/FT-891 read about 100 W at 208).
   */
  smeter: z.strictObject({
    s0: z.number().int().min(0).default(0),
    s9: z.number().int().positive(),
    max: z.number().int().positive(),
  }),
  po_meter_full: z.number().int().min(1).max(255).default(255),
  /** The radio has a clock: `DT0` date, `DT1` time, `DT2` UTC offset (answered from the host's clock, UTC). */
  clock: z.boolean().default(false),
  /**
   * Everything else the real radio answers that the canonical model does not hold (menus such as the
   * FT-991's `EX032` CAT time-out, which Hamlib's open needs, AF gain, roofing filter, …): query → the
   * radio's answer, without `;`. A set of the answer's length is accepted and read back on this port.
   */
  answers: z.record(commandName, z.string()).default({}),
  /** Commands of the family this radio lacks (Hamlib's `valid_commands[]` says so per model): answered `?;`. */
  lacks: z.array(commandName).default([]),
  /** Sets the radio takes without an answer and that change nothing catbridge holds (`BU`, `UP`, …). */
  silent_sets: z.array(commandName).default([]),
});

export type NewcatProfile = z.infer<typeof newcatProfileSchema> & CommonProfile;

/** The named capabilities of the family's command table (emulator.ts): profile keys that switch a command on. */
export type NewcatCapability = 'vfo_select' | 'clock';
