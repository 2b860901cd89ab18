import { z } from 'zod';

/** Keys every rig profile has, whatever its family (config/rigs/*.yaml). */
export const commonProfileKeys = {
  family: z.string(),
  /** What the port emulates, for people ("Kenwood TS-2000"). */
  name: z.string().min(1),
  /** What a WSJT-X/fldigi user chooses: Hamlib's model number and name for this radio. */
  hamlib: z.strictObject({ model: z.number().int().positive(), name: z.string().min(1) }),
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
  hamlib: { model: number; name: string };
  file: string;
}
