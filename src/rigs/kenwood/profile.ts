import { z } from 'zod';
import { calibrationSchema } from '../calibration.js';
import { type CommonProfile, commonProfileKeys } from '../profile-common.js';

/**
 * A Kenwood-family model as data. The family code holds the formats; the profile says which radio
 * this is and which of the family's variations it has (STYLE.md: a quirk is a named flag, handled once).
 */
export const kenwoodProfileSchema = z.strictObject({
  ...commonProfileKeys,
  family: z.literal('kenwood'),
  /** The `ID;` answer's digits (TS-2000 019, TS-590SG 023, TS-480 020, K3 017; research/hamlib.md §3.2). */
  id: z.string().regex(/^\d{3}$/, 'three digits, e.g. "019"'),
  /** Full RF power in watts: `PC100;` means this. */
  max_power_w: z.number().positive(),
  /**
   * How data modes are set: none (the TS-2000/TS-480 have no data mode: `MDD;` gets `?;` as on the
   * real radio), da (TS-590SG `DA0;`/`DA1;` beside `MD`), k3_dt (K3 `MD6`/`MD9` DATA with `DT` sub-mode).
   */
  data_mode: z.enum(['none', 'da', 'k3_dt']),
  /** How the filter width is read and set: none, fw (TS-480 `FWnnnn`), bw (K3 `BWnnnn` in 10 Hz). */
  filter: z.enum(['none', 'fw', 'bw']),
  /** The TS-2000 satellite-mode query `SA;` that Hamlib sends before selecting a VFO. */
  satellite: z.boolean().default(false),
  /** Elecraft K2/K3 commands: `K2`, `K3`, `OM`, `RVM`, `MD$`, `BW$`, `DT`, `TQ`, `TM`, `SMH`. */
  elecraft: z.boolean().default(false),
  /** The TS-480 `RM;` answer: all three meters at once, 24 bytes (research/hamlib.md §3.6). */
  meters_all_at_once: z.boolean().default(false),
  /** S-meter: the query, its digits, and [raw, dB over S9] points as Hamlib reads this model's meter. */
  smeter: z.strictObject({
    query: z.enum(['SM0', 'SM', 'SMH']),
    digits: z.number().int().min(1).max(6),
    calibration: calibrationSchema,
  }),
  /**
   * Everything else the real radio answers that the canonical model does not hold (AF gain, firmware
   * version, noise blanker, …): query → the radio's answer, both without `;`. A set of the same length
   * is accepted and read back on this port, as the real radio would.
   */
  answers: z.record(z.string().regex(/^[A-Z][A-Z0-9$]*$/), z.string()).default({}),
  /** Sets the radio takes without an answer and that change nothing catbridge holds (`RU`, `UP`, …). */
  silent_sets: z.array(z.string().regex(/^[A-Z][A-Z0-9$]*$/)).default([]),
});

export type KenwoodProfile = z.infer<typeof kenwoodProfileSchema> & CommonProfile;
