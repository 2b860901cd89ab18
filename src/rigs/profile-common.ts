import { z } from 'zod';

/** Keys every rig profile has, whatever its family (config/rigs/*.yaml). */
export const commonProfileKeys = {
  family: z.string(),
  /** What the port emulates, for people ("Kenwood TS-2000"). */
  name: z.string().min(1),
  /** What a WSJT-X/fldigi user chooses: Hamlib's model number and name for this radio. */
  /**
   * timeout_ms: the reply timeout Hamlib's backend for this model uses (`rigctl -m N -u`). A freshly
   * opened port's first reply waits for a fresh read of the radio at most this long less 50 ms
   * (DESIGN.md "the radio moves only when a client means it"); 200 ms, the tightest of the models,
   * when a profile does not say.
   */
  hamlib: z.strictObject({
    model: z.number().int().positive(),
    name: z.string().min(1),
    timeout_ms: z.number().int().min(100).max(60_000).default(200),
  }),
  /** The real radio's serial defaults; informational on a pty (a client may use any speed). */
  serial: z
    .strictObject({
      baud: z.number().int().positive(),
      data_bits: z.number().int().min(5).max(8).default(8),
      stop_bits: z.union([z.literal(1), z.literal(2)]).default(1),
      handshake: z.enum(['none', 'rtscts']).default('none'),
    })
    .optional(),
  /** Informational: a port never rejects or clamps a frequency (DESIGN.md). */
  frequency_ranges: z
    .array(z.strictObject({ from_hz: z.number().int().min(0), to_hz: z.number().int().positive() }))
    .optional(),
};

export interface CommonProfile {
  /** The profile's file name without .yaml ("ts2000"), or the path it was loaded from. */
  key: string;
  family: string;
  name: string;
  hamlib: { model: number; name: string; timeout_ms: number };
  file: string;
}
