import { z } from 'zod';
import { MODES } from '../../model/rig.js';
import { calibrationSchema } from '../calibration.js';
import { type CommonProfile, commonProfileKeys } from '../profile-common.js';

/**
 * A Kenwood-family model as data. The family code holds the formats; the profile says which radio
 * this is and which of the family's variations it has (STYLE.md: a quirk is a named flag, handled once).
 */
/** One mode group's ZZ filter table: widths in Hz by index (widest first) and its default filter's width. */
const zzFilterGroup = z.strictObject({
  widths: z.array(z.number().int().min(0)).min(1),
  default_hz: z.number().int().positive(),
});

export const kenwoodProfileSchema = z.strictObject({
  ...commonProfileKeys,
  family: z.literal('kenwood'),
  /** The `ID;` answer's digits (TS-2000 019, TS-590SG 023, TS-480 020, K3 017; research/hamlib.md §3.2). */
  id: z.string().regex(/^\d{3}$/, 'three digits, e.g. "019"'),
  /** Full RF power in watts: `PC100;` means this. */
  max_power_w: z.number().positive(),
  /**
   * How data modes are set beside `MD`: none (by `MD` digits alone, if the radio has data modes: see
   * `mode_digits`; the TS-2000/TS-480 have none, and `MDD;` gets `?;` as on the real radio), da (TS-590SG
   * `DA0;`/`DA1;` beside `MD`), k3_dt (K3 `MD6`/`MD9` DATA with the `DT` sub-mode).
   */
  data_mode: z.enum(['none', 'da', 'k3_dt']),
  /**
   * The radio's own `MD` digits where they differ from the family's (1 LSB, 2 USB, 3 CW, 4 FM, 5 AM,
   * 6 RTTY, 7 CWR, 9 RTTYR), as Hamlib's mode table for the model has them: the TS-890S's data modes
   * C–F, the Flex's DIGL/DIGU on 6 and 9. `null` removes a digit the radio does not have.
   */
  mode_digits: z
    .record(z.string().regex(/^[0-9A-F]$/, 'one MD digit, 0-9 or A-F'), z.enum(MODES).nullable())
    .default({}),
  /** How the filter width is read and set: none, fw (TS-480 `FWnnnn`), bw (K3 `BWnnnn` in 10 Hz). */
  filter: z.enum(['none', 'fw', 'bw']),
  /**
   * Commands beyond the family's common set, each a named capability (STYLE.md: fine-grained flags):
   * satellite (TS-2000 `SA`, read before selecting a VFO), extension_levels (Elecraft `K2`/`K3`; `K22`
   * adds the `PC` units digit), sub_receiver_dollar (Elecraft `MD$`/`BW$`: VFO B's mode and width),
   * tx_query (Elecraft `TQ`), bar_graph (Elecraft `BG`, Hamlib's K3 power meter), power_output
   * (Elecraft KX2/KX3 `PO`, Hamlib's power meter for them); and the Flex/PowerSDR `ZZ` extensions
   * (kenwood/zz-commands.ts): zz_frequency (`ZZFA`/`ZZFB`), zz_mode (`ZZMD`), zz_filter_index
   * (`ZZFI`/`ZZFJ`, by `zz_filters`), zz_filter_edges (`ZZFL`/`ZZFH`), zz_ptt (`ZZTX`), zz_meters
   * (`ZZRM0` S-meter in dBm, `ZZRM5` forward power), zz_rf_power (`ZZPC`, percent); and the TS-990S's Main/Sub
   * commands (kenwood/main-sub-commands.ts): band_select (`CB`), tx_band (`TB`), operating_mode (`OM0`/`OM1`).
   */
  capabilities: z
    .array(
      z.enum([
        'satellite',
        'extension_levels',
        'sub_receiver_dollar',
        'tx_query',
        'bar_graph',
        'power_output',
        'zz_frequency',
        'zz_mode',
        'zz_filter_index',
        'zz_filter_edges',
        'zz_ptt',
        'zz_meters',
        'zz_rf_power',
        'band_select',
        'tx_band',
        'operating_mode',
      ]),
    )
    .default([]),
  /**
   * `ZZFI`/`ZZFJ` filter widths by index, widest first, per mode group, and the width a mode's default
   * filter (passband 0) reads as (Hamlib's dsp_bw tables in flex6xxx.c).
   */
  zz_filters: z
    .strictObject({ ssb: zzFilterGroup, cw: zzFilterGroup, am: zzFilterGroup, data: zzFilterGroup })
    .optional(),
  /** Commands of the family this radio lacks: answered `?;` as the real radio does. */
  lacks: z.array(z.string().regex(/^[A-Z][A-Z0-9$]*$/)).default([]),
  /** How `RM` reads the TX meters: selected (`RM;`), all (TS-480: three at once, 24 bytes, research/hamlib.md §3.6), each (TS-590: `RMn;` reads meter n), switched (TS-890S: `RMn1;`/`RMn0;` turn meter n on/off silently, `RM;` answers them all). */
  meters: z.enum(['selected', 'all', 'each', 'switched']).default('selected'),
  /** S-meter: the query, its digits, and [raw, dB over S9] points as Hamlib reads this model's meter. */
  smeter: z.strictObject({
    /** The reads that answer the S-meter (TS-2000/TS-590SG/TS-480: `SM0` and `SM1`, both the main meter). */
    queries: z.array(z.enum(['SM0', 'SM1', 'SM', 'SMH'])).min(1),
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

/** The named capabilities of the family's command table (emulator.ts) that a profile switches on. */
export type KenwoodCapability =
  | KenwoodProfile['capabilities'][number]
  | 'data_flag'
  | 'data_submode'
  | 'filter_fw'
  | 'filter_bw';

/** A profile's capabilities: its list, plus those its data_mode and filter variants bring. */
export function kenwoodCapabilities(profile: KenwoodProfile): ReadonlySet<KenwoodCapability> {
  const capabilities = new Set<KenwoodCapability>(profile.capabilities);
  if (profile.data_mode === 'da') capabilities.add('data_flag');
  if (profile.data_mode === 'k3_dt') capabilities.add('data_submode');
  if (profile.filter === 'fw') capabilities.add('filter_fw');
  if (profile.filter === 'bw') capabilities.add('filter_bw');
  return capabilities;
}
